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

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.net.SocketFactory;

import io.mqttboot.connection.MqttConnection;
import io.mqttboot.core.MqttTemplate;
import io.mqttboot.listener.MqttListener;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.integration.mqtt.core.Mqttv5ClientManager;
import org.springframework.integration.mqtt.support.MqttHeaders;
import org.springframework.messaging.Message;

/**
 * The starter: a Spring Boot application with the starter's auto-configuration (one
 * connection), publishing with {@link MqttTemplate} and receiving with
 * {@link MqttListener @MqttListener} methods.
 *
 * @author mqttboot
 */
final class StarterSide implements BenchmarkSide {

	private static final String PREFIX = "bench/starter/";

	private final ConfigurableApplicationContext context;

	private final MqttTemplate template;

	private final BenchmarkListeners listeners;

	private final int maxInflight;

	StarterSide(String url) {
		SpringApplication application = new SpringApplication(StarterApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setBannerMode(Banner.Mode.OFF);
		application.setLogStartupInfo(false);
		application.setRegisterShutdownHook(false);
		this.context = application.run("--mqtt.url=" + url, "--mqtt.client-id=bench-starter",
				"--spring.application.name=benchmark", "--logging.config=classpath:" + EndToEndBenchmark.LOGBACK_CONFIG);
		this.template = this.context.getBean(MqttTemplate.class);
		this.listeners = this.context.getBean(BenchmarkListeners.class);
		this.maxInflight = this.context.getEnvironment().getProperty("mqtt.max-inflight", Integer.class, 100);
		MqttConnection status = this.context.getBean(MqttConnection.class);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (!status.isConnected()) {
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("The starter did not connect to " + url + " within 30 s");
			}
			LockSupport.parkNanos(1_000_000);
		}
	}

	/**
	 * Return the socket factory the starter gave its Paho client.
	 * @return the socket factory
	 */
	SocketFactory socketFactory() {
		Mqttv5ClientManager clientManager = this.context.getBean(Mqttv5ClientManager.class);
		return Objects.requireNonNull(clientManager.getConnectionInfo().getSocketFactory(), "no socket factory");
	}

	@Override
	public String name() {
		return "starter";
	}

	@Override
	public String topic(int qos, int phase) {
		return PREFIX + qos + "/" + phase;
	}

	@Override
	public void receiveWith(Recorder recorder) {
		this.listeners.recorder = recorder;
	}

	@Override
	public void publish(String topic, byte[] payload, int qos, Acks acks) {
		this.template.send(topic, payload, qos, false).whenComplete(acks);
	}

	@Override
	public String describe() {
		return "1 connection (MqttTemplate + 3 @MqttListener methods taking Message<byte[]>), "
				+ "in-flight window min(mqtt.max-inflight=" + this.maxInflight
				+ ", server Receive Maximum), listeners ask for QoS 0/1/2, "
				+ "everything else as auto-configured";
	}

	@Override
	public void close() {
		this.context.close();
	}

	/**
	 * The benchmark application: auto-configuration (the starter) and the listeners, no
	 * component scan.
	 */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(BenchmarkListeners.class)
	static class StarterApplication {

	}

	/**
	 * The listeners: one per QoS, each records the message.
	 */
	static class BenchmarkListeners {

		volatile @Nullable Recorder recorder;

		@MqttListener(topics = PREFIX + "0/#", qos = 0)
		void qos0(Message<byte[]> message) {
			record(message);
		}

		@MqttListener(topics = PREFIX + "1/#", qos = 1)
		void qos1(Message<byte[]> message) {
			record(message);
		}

		@MqttListener(topics = PREFIX + "2/#", qos = 2)
		void qos2(Message<byte[]> message) {
			record(message);
		}

		private void record(Message<byte[]> message) {
			Recorder recorder = this.recorder;
			if (recorder != null) {
				Integer qos = message.getHeaders().get(MqttHeaders.RECEIVED_QOS, Integer.class);
				recorder.record(message.getPayload(), (qos != null) ? qos : -1);
			}
		}

	}

}
