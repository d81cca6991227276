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

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.metrics.ApplicationStartup;
import org.springframework.integration.annotation.ServiceActivator;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.integration.config.EnableIntegration;
import org.springframework.integration.mqtt.core.Mqttv5ClientManager;
import org.springframework.integration.mqtt.event.MqttMessageDeliveredEvent;
import org.springframework.integration.mqtt.event.MqttMessageNotDeliveredEvent;
import org.springframework.integration.mqtt.inbound.Mqttv5PahoMessageDrivenChannelAdapter;
import org.springframework.integration.mqtt.outbound.Mqttv5PahoMessageHandler;
import org.springframework.integration.mqtt.support.MqttHeaders;
import org.springframework.integration.support.MessageBuilder;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageHandler;

/**
 * A hand-written Spring Integration application, as Spring Integration's reference
 * documentation shows it and without the starter: an inbound
 * {@link Mqttv5PahoMessageDrivenChannelAdapter} subscribed at QoS 0/1/2 and an outbound
 * {@link Mqttv5PahoMessageHandler} ({@code async} with delivery events), each on its own
 * {@link Mqttv5ClientManager} (2 connections, like raw Paho), {@link DirectChannel}s, a
 * {@code @ServiceActivator} that records each message on Paho's callback thread. The
 * publisher sends {@code Message<byte[]>}s with the topic and QoS headers to the outbound
 * channel, within an in-flight window sized like raw Paho's (a semaphore released by the
 * {@link MqttMessageDeliveredEvent}s). Spring Boot runs it without auto-configuration
 * (the starter is on this class path).
 *
 * @author mqttboot
 */
final class SpringIntegrationSide implements BenchmarkSide {

	private static final String PREFIX = "bench/integration/";

	private final ConfigurableApplicationContext context;

	/**
	 * When {@code SpringApplication.run} returned, in {@link System#nanoTime()} terms.
	 */
	final long runReturnedNanos;

	private final MessageChannel outbound;

	private final Deliveries deliveries;

	private final Receiver receiver;

	private final int windowSize;

	/**
	 * Start the application.
	 * @param url the broker URL
	 * @param windowSize the in-flight window (the smaller of 100 and the server's
	 * Receive Maximum)
	 * @param startup the application startup to record with, or {@code null}
	 */
	SpringIntegrationSide(String url, int windowSize, @Nullable ApplicationStartup startup) {
		this.windowSize = windowSize;
		SpringApplication application = new SpringApplication(IntegrationApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setBannerMode(Banner.Mode.OFF);
		application.setLogStartupInfo(false);
		application.setRegisterShutdownHook(false);
		if (startup != null) {
			application.setApplicationStartup(startup);
		}
		this.context = application.run("--bench.url=" + url, "--bench.window=" + windowSize,
				"--spring.application.name=benchmark", "--logging.config=classpath:" + EndToEndBenchmark.LOGBACK_CONFIG);
		this.runReturnedNanos = System.nanoTime();
		this.outbound = this.context.getBean("mqttOutboundChannel", MessageChannel.class);
		this.deliveries = this.context.getBean(Deliveries.class);
		this.receiver = this.context.getBean(Receiver.class);
		Mqttv5ClientManager publisher = this.context.getBean("outboundClientManager", Mqttv5ClientManager.class);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (!publisher.isConnected()) {
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("Spring Integration did not connect to " + url + " within 30 s");
			}
			LockSupport.parkNanos(1_000_000);
		}
	}

	@Override
	public String name() {
		return "SI";
	}

	@Override
	public String topic(int qos, int phase) {
		return PREFIX + qos + "/" + phase;
	}

	@Override
	public void receiveWith(Recorder recorder) {
		this.receiver.recorder = recorder;
	}

	@Override
	public void publish(String topic, byte[] payload, int qos, Acks acks) throws InterruptedException {
		this.deliveries.window.acquire();
		this.deliveries.pending.add(acks);
		try {
			this.outbound.send(MessageBuilder.withPayload(payload)
				.setHeader(MqttHeaders.TOPIC, topic)
				.setHeader(MqttHeaders.QOS, qos)
				.build());
		}
		catch (RuntimeException ex) {
			// the handler threw: no delivery event will come for this message
			this.deliveries.pending.remove(acks);
			this.deliveries.window.release();
			acks.accept(null, ex);
		}
	}

	@Override
	public String describe() {
		return "Spring Integration " + MessageBuilder.class.getPackage().getImplementationVersion()
				+ ": 2 connections (Mqttv5PahoMessageHandler async on one Mqttv5ClientManager, "
				+ "Mqttv5PahoMessageDrivenChannelAdapter on another; memory persistence, TCP_NODELAY), in-flight window "
				+ this.windowSize + " (semaphore released by MqttMessageDeliveredEvent), DirectChannels, "
				+ "subscriptions at QoS 0/1/2, automatic acks";
	}

	@Override
	public void close() {
		this.context.close();
	}

	/**
	 * The application: two client managers, the adapter, the handler, the channels.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableIntegration
	static class IntegrationApplication {

		@Bean
		Mqttv5ClientManager inboundClientManager(@Value("${bench.url}") String url) {
			Mqttv5ClientManager clientManager = new Mqttv5ClientManager(options(url), "bench-integration-sub");
			clientManager.setPersistence(new MemoryPersistence());
			return clientManager;
		}

		@Bean
		Mqttv5ClientManager outboundClientManager(@Value("${bench.url}") String url) {
			Mqttv5ClientManager clientManager = new Mqttv5ClientManager(options(url), "bench-integration-pub");
			clientManager.setPersistence(new MemoryPersistence());
			return clientManager;
		}

		private static MqttConnectionOptions options(String url) {
			MqttConnectionOptions options = new MqttConnectionOptions();
			options.setServerURIs(new String[] { url });
			options.setSocketFactory(new NoDelaySocketFactory());
			options.setCleanStart(true);
			options.setKeepAliveInterval(60);
			options.setAutomaticReconnect(true);
			options.setConnectionTimeout(10);
			return options;
		}

		@Bean
		DirectChannel mqttInboundChannel() {
			return new DirectChannel();
		}

		@Bean
		DirectChannel mqttOutboundChannel() {
			return new DirectChannel();
		}

		@Bean
		Mqttv5PahoMessageDrivenChannelAdapter inbound(
				@Qualifier("inboundClientManager") Mqttv5ClientManager clientManager,
				@Qualifier("mqttInboundChannel") MessageChannel channel) {
			Mqttv5PahoMessageDrivenChannelAdapter adapter = new Mqttv5PahoMessageDrivenChannelAdapter(clientManager,
					new MqttSubscription(PREFIX + "0/#", 0), new MqttSubscription(PREFIX + "1/#", 1),
					new MqttSubscription(PREFIX + "2/#", 2));
			adapter.setOutputChannel(channel);
			return adapter;
		}

		@Bean
		@ServiceActivator(inputChannel = "mqttOutboundChannel")
		MessageHandler mqttOutbound(@Qualifier("outboundClientManager") Mqttv5ClientManager clientManager) {
			Mqttv5PahoMessageHandler handler = new Mqttv5PahoMessageHandler(clientManager);
			handler.setAsync(true);
			handler.setAsyncEvents(true);
			return handler;
		}

		@Bean
		Receiver receiver() {
			return new Receiver();
		}

		@Bean
		Deliveries deliveries(@Value("${bench.window}") int window) {
			return new Deliveries(window);
		}

	}

	/**
	 * Records the messages of the inbound channel.
	 */
	static class Receiver {

		volatile @Nullable Recorder recorder;

		@ServiceActivator(inputChannel = "mqttInboundChannel")
		void receive(Message<byte[]> message) {
			Recorder recorder = this.recorder;
			if (recorder != null) {
				Integer qos = message.getHeaders().get(MqttHeaders.RECEIVED_QOS, Integer.class);
				recorder.record(message.getPayload(), (qos != null) ? qos : -1);
			}
		}

	}

	/**
	 * The in-flight window and the publishes waiting for their delivery event, in order
	 * (the events carry Paho's message id only).
	 */
	static class Deliveries {

		final Semaphore window;

		final Queue<Acks> pending = new ConcurrentLinkedQueue<>();

		Deliveries(int window) {
			this.window = new Semaphore(window);
		}

		@EventListener
		void delivered(MqttMessageDeliveredEvent event) {
			complete(null);
		}

		@EventListener
		void notDelivered(MqttMessageNotDeliveredEvent event) {
			complete(event.getException());
		}

		private void complete(@Nullable Throwable failure) {
			Acks acks = this.pending.poll();
			this.window.release();
			if (acks != null) {
				acks.accept(null, failure);
			}
		}

	}

}
