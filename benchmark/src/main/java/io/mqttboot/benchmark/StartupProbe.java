/*
 * Copyright 2026 the mqttboot authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package io.mqttboot.benchmark;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Run in a fresh JVM by {@link StartupBenchmark}: starts a Spring Boot application
 * (auto-configuration, no web server) and prints how long it took until it was ready,
 * that is, with the starter, until its connection to the broker is up. It references no
 * class of the starter, so that it also runs on a class path without it.
 * <p>
 * Arguments: {@code with <url>} (the starter), {@code raw <url>} (no starter; a raw Paho
 * client connects once the application has started) or {@code without}.
 *
 * @author mqttboot
 */
public final class StartupProbe {

	/**
	 * The prefix of the line that reports the result.
	 */
	static final String RESULT_PREFIX = "STARTUP-PROBE ";

	private StartupProbe() {
	}

	/**
	 * Start the application, print the result line and exit.
	 * @param args {@code with <url>}, {@code raw <url>} or {@code without}
	 * @throws Exception if the application does not start
	 */
	public static void main(String[] args) throws Exception {
		long begin = System.nanoTime();
		boolean withStarter = args.length > 1 && "with".equals(args[0]);
		boolean withRawPaho = args.length > 1 && "raw".equals(args[0]);
		List<String> properties = new ArrayList<>(List.of("--spring.application.name=probe"));
		if (withStarter) {
			properties.add("--mqtt.url=" + args[1]);
			properties.add("--mqtt.client-id=bench-probe-" + ProcessHandle.current().pid());
		}
		SpringApplication application = new SpringApplication(ProbeApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setBannerMode(Banner.Mode.OFF);
		application.setLogStartupInfo(false);
		ConfigurableApplicationContext context = application.run(properties.toArray(String[]::new));
		long runNanos = System.nanoTime();
		if (withStarter) {
			awaitConnected(context.getBean("mqttClientManager"));
		}
		if (withRawPaho) {
			RawPahoConnect.connect(args[1]);
		}
		long readyNanos = System.nanoTime();
		long readyEpochMillis = System.currentTimeMillis();
		long jvmStartMillis = ManagementFactory.getRuntimeMXBean().getStartTime();
		System.out.println(RESULT_PREFIX + "jvmToReadyMs=" + (readyEpochMillis - jvmStartMillis) + " mainToReadyMs="
				+ TimeUnit.NANOSECONDS.toMillis(readyNanos - begin) + " mainToRunReturnedMs="
				+ TimeUnit.NANOSECONDS.toMillis(runNanos - begin) + " beans=" + context.getBeanDefinitionCount());
		System.out.flush();
		context.close();
		System.exit(0);
	}

	private static void awaitConnected(Object clientManager) throws Exception {
		Method isConnected = clientManager.getClass().getMethod("isConnected");
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (!Boolean.TRUE.equals(isConnected.invoke(clientManager))) {
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("Not connected within 30 s");
			}
			LockSupport.parkNanos(200_000);
		}
	}

	/**
	 * Connects a raw Paho v5 client; a class of its own, so that Paho is loaded only
	 * when used.
	 */
	static final class RawPahoConnect {

		private RawPahoConnect() {
		}

		static void connect(String url) throws Exception {
			MqttAsyncClient client = new MqttAsyncClient(url, "bench-probe-raw-" + ProcessHandle.current().pid(),
					new MemoryPersistence());
			client.connect().waitForCompletion(30_000);
		}

	}

	/**
	 * The probed application: auto-configuration only.
	 */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class ProbeApplication {

	}

}
