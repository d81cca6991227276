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
package io.mqttboot.benchmark.faults;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.mqttboot.core.MqttTemplate;
import io.mqttboot.event.MqttConnectedEvent;
import io.mqttboot.event.MqttConnectionLostEvent;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;

/**
 * The application of the fault-injection run, started in a child JVM by
 * {@link FaultInjectionRun}: a plain Spring Boot application with the starter, configured by
 * {@code mqtt.*} properties only. It sends {@code faults.count} QoS 1 messages (payload: the
 * sequence number, from {@code faults.first-seq}) to {@code faults.topic} at {@code faults.rate}
 * per second through {@link MqttTemplate}, and reports on stdout, one line each: {@code FAULTS SENT <seq>}, {@code FAULTS ACK
 * <seq>} and {@code FAULTS FAIL <seq> <exception>} for every future, the connection events, and
 * every 250 ms {@code FAULTS STATUS} with its counts and the {@code mqtt} health. When all futures
 * are done it prints {@code FAULTS DONE}. It stops cleanly when its stdin ends.
 *
 * @author mqttboot
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class FaultApp {

	private static final AtomicLong sent = new AtomicLong();

	private static final AtomicLong completed = new AtomicLong();

	private static final AtomicLong failed = new AtomicLong();

	/**
	 * Start the application and its stream of sends.
	 * @param args Spring Boot arguments ({@code --mqtt.*}, {@code --faults.*})
	 */
	public static void main(String[] args) {
		ConfigurableApplicationContext context = SpringApplication.run(FaultApp.class, args);
		Environment environment = context.getEnvironment();
		String topic = environment.getRequiredProperty("faults.topic");
		int rate = environment.getProperty("faults.rate", Integer.class, 200);
		long firstSeq = environment.getProperty("faults.first-seq", Long.class, 0L);
		int count = environment.getProperty("faults.count", Integer.class, 2400);
		MqttTemplate template = context.getBean(MqttTemplate.class);
		HealthContributorRegistry health = context.getBeanProvider(HealthContributorRegistry.class).getIfAvailable();
		ScheduledExecutorService status = Executors.newSingleThreadScheduledExecutor();
		status.scheduleAtFixedRate(() -> printStatus(health), 0, 250, TimeUnit.MILLISECONDS);
		Thread stopper = new Thread(() -> stopWhenStdinEnds(context), "faults-stdin");
		stopper.setDaemon(true);
		stopper.start();
		print("FAULTS READY");
		List<CompletableFuture<?>> futures = new ArrayList<>(count);
		long period = TimeUnit.SECONDS.toNanos(1) / rate;
		long start = System.nanoTime();
		for (int i = 0; i < count; i++) {
			long due = start + i * period;
			long wait;
			while ((wait = due - System.nanoTime()) > 0) {
				LockSupport.parkNanos(wait);
			}
			long seq = firstSeq + i;
			byte[] payload = Long.toString(seq).getBytes(StandardCharsets.US_ASCII);
			sent.incrementAndGet();
			print("FAULTS SENT " + seq);
			futures.add(template.send(topic, payload, 1, false).whenComplete((result, ex) -> outcome(seq, ex)));
		}
		try {
			CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			// the outcomes are counted one by one
		}
		printStatus(health);
		print("FAULTS DONE sent=" + sent + " completed=" + completed + " failed=" + failed
				+ " pending=" + futures.stream().filter((future) -> !future.isDone()).count());
	}

	private static void stopWhenStdinEnds(ConfigurableApplicationContext context) {
		try {
			BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
			while (stdin.readLine() != null) {
				// until the run closes stdin
			}
		}
		catch (IOException ex) {
			// stop as well
		}
		context.close();
		System.exit(0);
	}

	private static void outcome(long seq, @Nullable Throwable ex) {
		if (ex == null) {
			completed.incrementAndGet();
			print("FAULTS ACK " + seq);
		}
		else {
			failed.incrementAndGet();
			Throwable cause = (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
			print("FAULTS FAIL " + seq + " " + cause.getClass().getName() + ": " + cause.getMessage());
		}
	}

	private static void printStatus(@Nullable HealthContributorRegistry registry) {
		String state = "n/a";
		Object reason = "";
		HealthContributor contributor = (registry != null) ? registry.getContributor("mqtt") : null;
		if (contributor instanceof HealthIndicator indicator) {
			Health health = indicator.health(true);
			state = (health != null) ? health.getStatus().getCode() : "n/a";
			Object detail = (health != null) ? health.getDetails().get("lastDisconnectReason") : null;
			reason = (detail != null) ? detail : "";
		}
		print("FAULTS STATUS sent=" + sent + " completed=" + completed + " failed=" + failed + " health=" + state
				+ " reason=" + reason);
	}

	private static void print(String line) {
		System.out.println(line);
	}

	@EventListener
	void onConnected(MqttConnectedEvent event) {
		print("FAULTS EVENT connected reconnect=" + event.isReconnect() + " sessionPresent="
				+ event.isSessionPresent());
	}

	@EventListener
	void onLost(MqttConnectionLostEvent event) {
		Throwable cause = event.getCause();
		print("FAULTS EVENT lost reasonCode=" + event.getReasonCode() + " cause="
				+ ((cause != null) ? cause.getClass().getSimpleName() : "none"));
	}

}
