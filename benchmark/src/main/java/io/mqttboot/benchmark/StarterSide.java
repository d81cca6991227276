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

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationHandler.FirstMatchingCompositeObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;
import io.mqttboot.connection.MqttConnection;
import io.mqttboot.core.MqttTemplate;
import io.mqttboot.listener.MqttListener;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.core.metrics.ApplicationStartup;
import org.springframework.integration.mqtt.core.Mqttv5ClientManager;
import org.springframework.integration.mqtt.support.MqttHeaders;
import org.springframework.messaging.Message;

/**
 * The starter: a Spring Boot application with the starter's auto-configuration (one
 * connection), publishing with {@link MqttTemplate} and receiving with
 * {@link MqttListener @MqttListener} methods; observed or not (an
 * {@link ObservationRegistry} with Micrometer's meter handler on a
 * {@link SimpleMeterRegistry} and the tracing handlers on a no-op tracer, as Spring Boot
 * arranges them).
 *
 * @author mqttboot
 */
final class StarterSide implements BenchmarkSide {

	private final String name;

	private final String prefix;

	private final ConfigurableApplicationContext context;

	/**
	 * When {@code SpringApplication.run} returned, in {@link System#nanoTime()} terms.
	 */
	final long runReturnedNanos;

	private final MqttTemplate template;

	private final BenchmarkListeners listeners;

	private final int maxInflight;

	StarterSide(String url) {
		this(url, "starter", false);
	}

	/**
	 * Start an application.
	 * @param url the broker
	 * @param name the name of the side, also in its client id and topics
	 * @param observed whether the application has an observation registry with handlers
	 */
	StarterSide(String url, String name, boolean observed) {
		this(url, name, observed, null);
	}

	/**
	 * Start an application.
	 * @param url the broker
	 * @param name the name of the side, also in its client id and topics
	 * @param observed whether the application has an observation registry with handlers
	 * @param startup the application startup to record with, or {@code null}
	 */
	StarterSide(String url, String name, boolean observed, @Nullable ApplicationStartup startup) {
		this.name = name;
		this.prefix = "bench/" + name + "/";
		SpringApplication application = (observed)
				? new SpringApplication(StarterApplication.class, ObservedConfiguration.class)
				: new SpringApplication(StarterApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setBannerMode(Banner.Mode.OFF);
		application.setLogStartupInfo(false);
		application.setRegisterShutdownHook(false);
		if (startup != null) {
			application.setApplicationStartup(startup);
		}
		this.context = application.run("--mqtt.url=" + url, "--mqtt.client-id=bench-" + name,
				"--bench.prefix=" + this.prefix, "--spring.application.name=benchmark",
				"--logging.config=classpath:" + EndToEndBenchmark.LOGBACK_CONFIG);
		this.runReturnedNanos = System.nanoTime();
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
		return this.name;
	}

	@Override
	public String topic(int qos, int phase) {
		return this.prefix + qos + "/" + phase;
	}

	/**
	 * Return the Receive Maximum the broker announced to this side's connection.
	 * @return the server Receive Maximum
	 */
	int serverReceiveMaximum() {
		return this.context.getBean(MqttConnection.class).getInflightLimit();
	}

	/**
	 * Describe what the observations recorded, if observed.
	 * @return the counts of the {@code mqtt.publish} and {@code mqtt.listener} timers
	 */
	String describeObservations() {
		SimpleMeterRegistry meters = this.context.getBeanProvider(SimpleMeterRegistry.class).getIfAvailable();
		if (meters == null) {
			return "no observation registry";
		}
		long published = meters.find("mqtt.publish").timers().stream().mapToLong(Timer::count).sum();
		long handled = meters.find("mqtt.listener").timers().stream().mapToLong(Timer::count).sum();
		return "mqtt.publish timers counted " + published + " sends, mqtt.listener timers " + handled
				+ " invocations";
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
		return ((this.context.getBeanProvider(ObservationRegistry.class).getIfAvailable() != null)
				? "observed (DefaultMeterObservationHandler on a SimpleMeterRegistry, tracing handlers on "
						+ "Tracer.NOOP), "
				: "")
				+ "1 connection (MqttTemplate + 3 @MqttListener methods taking Message<byte[]>), "
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
	 * Observations on: the registry Spring Boot would build with Actuator and Micrometer
	 * Tracing, the tracer a no-op one.
	 */
	@Configuration(proxyBeanMethods = false)
	static class ObservedConfiguration {

		@Bean
		SimpleMeterRegistry simpleMeterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		ObservationRegistry observationRegistry(SimpleMeterRegistry meterRegistry) {
			ObservationRegistry registry = ObservationRegistry.create();
			registry.observationConfig()
				.observationHandler(new DefaultMeterObservationHandler(meterRegistry))
				.observationHandler(new FirstMatchingCompositeObservationHandler(
						new PropagatingSenderTracingObservationHandler<>(Tracer.NOOP, Propagator.NOOP),
						new PropagatingReceiverTracingObservationHandler<>(Tracer.NOOP, Propagator.NOOP),
						new DefaultTracingObservationHandler(Tracer.NOOP)));
			return registry;
		}

	}

	/**
	 * The listeners: one per QoS, each records the message.
	 */
	static class BenchmarkListeners {

		volatile @Nullable Recorder recorder;

		@MqttListener(topics = "${bench.prefix}0/#", qos = 0)
		void qos0(Message<byte[]> message) {
			record(message);
		}

		@MqttListener(topics = "${bench.prefix}1/#", qos = 1)
		void qos1(Message<byte[]> message) {
			record(message);
		}

		@MqttListener(topics = "${bench.prefix}2/#", qos = 2)
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
