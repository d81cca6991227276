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
package io.mqttboot.core;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import javax.net.SocketFactory;

import io.mqttboot.autoconfigure.MqttAutoConfiguration;
import io.mqttboot.test.HiveMqBroker;
import io.mqttboot.test.MqttTestClient;
import io.mqttboot.test.TestBroker;
import io.mqttboot.test.MqttTestClient.Received;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.mqtt.core.ClientManager;
import org.springframework.integration.mqtt.support.MqttHeaders;
import org.springframework.messaging.support.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests of the {@link MqttTemplate} against a real broker (the shared
 * embedded HiveMQ CE), written once and run for each protocol version by the subclasses.
 * A raw Paho client ({@link MqttTestClient}) is the receiving side.
 *
 * @author mqttboot
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractMqttTemplateIntegrationTests {

	protected static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static HiveMqBroker burstBroker;

	protected final TestBroker broker = broker();

	/**
	 * Return the broker under test (default: the shared HiveMQ).
	 * @return the broker
	 */
	protected TestBroker broker() {
		return HiveMqBroker.shared();
	}

	protected final String clientId = "tmpl-" + UUID.randomUUID().toString().substring(0, 8);

	private final String prefix = "mqttboot-it/template/" + UUID.randomUUID().toString().substring(0, 8);

	protected AnnotationConfigApplicationContext context;

	protected MqttTemplate template;

	protected ClientManager<?, ?> clientManager;

	/**
	 * Return the value of {@code mqtt.protocol-version}.
	 * @return the protocol version
	 */
	protected abstract String protocolVersion();

	/**
	 * Return extra properties of the shared context.
	 * @return the properties, {@code name=value}
	 */
	protected List<String> extraProperties() {
		return List.of();
	}

	/**
	 * Assert the content type of a message received from a JSON payload.
	 * @param received the message
	 */
	protected abstract void assertJsonContentType(Received received);

	@BeforeAll
	void startContext() {
		this.context = new AnnotationConfigApplicationContext();
		List<String> properties = new ArrayList<>(commonProperties());
		properties.add("mqtt.client-id=" + this.clientId);
		properties.addAll(extraProperties());
		TestPropertyValues.of(properties).applyTo(this.context);
		this.context.register(MqttConfiguration.class);
		this.context.refresh();
		this.template = this.context.getBean(MqttTemplate.class);
		this.clientManager = this.context.getBean(ClientManager.class);
		await().atMost(TIMEOUT).until(this.clientManager::isConnected);
	}

	@AfterAll
	void closeContext() {
		if (this.context != null) {
			this.context.close();
		}
	}

	protected List<String> commonProperties() {
		return List.of("mqtt.url=" + this.broker.mqttUrl(), "mqtt.protocol-version=" + protocolVersion(),
				"mqtt.connect-timeout=5s", "mqtt.reconnect.min-delay=100ms", "mqtt.reconnect.max-delay=1s");
	}

	protected String topic(String name) {
		return this.prefix + "/" + protocolVersion().replace(".", "") + "/" + name;
	}

	protected MqttTestClient subscriber(String topicFilter, int qos) {
		return MqttTestClient.connect(this.broker.tcpUrl()).subscribe(topicFilter, qos);
	}

	@Test
	void sendsStringsBytesAndObjectsAsJson() throws Exception {
		String topic = topic("payloads");
		try (MqttTestClient subscriber = subscriber(topic, 1)) {
			assertThat(this.template.send(topic, "grüße")).succeedsWithin(TIMEOUT);
			assertThat(this.template.send(topic, new byte[] { 0, 1, (byte) 0xFF })).succeedsWithin(TIMEOUT);
			assertThat(this.template.send(topic, new Reading("kitchen", 21.5))).succeedsWithin(TIMEOUT);
			assertThat(subscriber.awaitMessage(topic, TIMEOUT).payloadAsString()).isEqualTo("grüße");
			assertThat(subscriber.awaitMessage(topic, TIMEOUT).payload()).containsExactly(0, 1, 0xFF);
			Received json = subscriber.awaitMessage(topic, TIMEOUT);
			assertThat(json.payloadAsString()).isEqualTo("{\"room\":\"kitchen\",\"celsius\":21.5}");
			assertJsonContentType(json);
		}
	}

	@Test
	void futureCompletesOnAcknowledgementAtEachQos() {
		String topic = topic("qos");
		try (MqttTestClient subscriber = subscriber(topic, 2)) {
			for (int qos = 0; qos <= 2; qos++) {
				CompletableFuture<Void> sent = this.template.send(topic, "qos " + qos, qos, false);
				assertThat(sent).succeedsWithin(TIMEOUT);
				Received received = subscriber.awaitMessage(topic, TIMEOUT);
				assertThat(received.payloadAsString()).isEqualTo("qos " + qos);
				assertThat(received.qos()).isEqualTo(qos);
			}
		}
	}

	@Test
	void retainedMessageReachesALateSubscriber() {
		String retained = topic("retained");
		String notRetained = topic("not-retained");
		assertThat(this.template.send(retained, "last value", 2, true)).succeedsWithin(TIMEOUT);
		assertThat(this.template.send(notRetained, "gone")).succeedsWithin(TIMEOUT);
		assertThat(this.template.send(MessageBuilder.withPayload("from headers")
			.setHeader(MqttHeaders.TOPIC, retained + "/headers")
			.setHeader(MqttHeaders.QOS, 1)
			.setHeader(MqttHeaders.RETAINED, true)
			.build())).succeedsWithin(TIMEOUT);
		try (MqttTestClient late = subscriber(retained + "/#", 2).subscribe(notRetained, 1)) {
			Received received = late.awaitMessage(retained, TIMEOUT);
			assertThat(received.payloadAsString()).isEqualTo("last value");
			assertThat(received.retained()).isTrue();
			Received fromHeaders = late.awaitMessage(retained + "/headers", TIMEOUT);
			assertThat(fromHeaders.retained()).isTrue();
			assertThat(fromHeaders.qos()).isEqualTo(1);
			late.expectNoMessage(notRetained, Duration.ofMillis(300));
		}
		finally {
			this.template.send(retained, new byte[0], 1, true).join();
			this.template.send(retained + "/headers", new byte[0], 1, true).join();
		}
	}

	@Test
	void invalidInputFailsBeforeAnythingIsSent() {
		String base = topic("invalid");
		try (MqttTestClient subscriber = subscriber(base + "/#", 2)) {
			assertInvalid(this.template.send("", "x"), "The topic must not be empty");
			assertInvalid(this.template.send(base + "/a/+/c", "x"), "contains the wildcard '+'");
			assertInvalid(this.template.send(base + "/a/#", "x"), "contains the wildcard '#'");
			assertInvalid(this.template.send(base + "/qos", "x", 3, false), "QoS 3 is invalid");
			assertInvalid(this.template.send(base + "/qos", "x", -1, false), "QoS -1 is invalid");
			assertInvalid(this.template.send(MessageBuilder.withPayload("x")
				.setHeader(MqttHeaders.TOPIC, base + "/qos")
				.setHeader(MqttHeaders.QOS, 3)
				.build()), "QoS 3 is invalid");
			assertInvalid(this.template.send(MessageBuilder.withPayload("x").build()), "'mqtt_topic'");
			subscriber.expectNoMessage(null, Duration.ofMillis(300));
		}
	}

	@Test
	void notConnectedWithoutABufferFailsFastWithAClearException() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(MqttAutoConfiguration.class))
			.withPropertyValues("mqtt.url=mqtt://127.0.0.1:" + freePort(), "mqtt.template.buffer.max-messages=0",
					"mqtt.protocol-version=" + protocolVersion(), "mqtt.client-id=" + this.clientId + "-down")
			.run((context) -> {
				CompletableFuture<Void> sent = context.getBean(MqttTemplate.class).send("a/b", "x");
				assertThat(sent).isCompletedExceptionally();
				assertThat(sent).failsWithin(Duration.ZERO)
					.withThrowableOfType(ExecutionException.class)
					.havingCause()
					.isInstanceOf(MqttPublishException.class)
					.withMessageContaining("Not connected to the MQTT broker (client id '" + this.clientId + "-down')")
					.withMessageContaining("nothing was published to 'a/b'");
			});
	}

	@Test
	void defaultsComeFromProperties() {
		String topic = topic("defaults");
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(MqttAutoConfiguration.class))
			.withPropertyValues(commonProperties().toArray(String[]::new))
			.withPropertyValues("mqtt.client-id=" + this.clientId + "-defaults", "mqtt.template.default-qos=0",
					"mqtt.template.default-retain=true")
			.run((context) -> {
				await().atMost(TIMEOUT).until(context.getBean(ClientManager.class)::isConnected);
				MqttTemplate template = context.getBean(MqttTemplate.class);
				try {
					assertThat(template.send(topic, "defaults")).succeedsWithin(TIMEOUT);
					try (MqttTestClient late = subscriber(topic, 2)) {
						Received received = late.awaitMessage(topic, TIMEOUT);
						assertThat(received.retained()).isTrue();
						assertThat(received.qos()).isZero();
					}
				}
				finally {
					template.send(topic, new byte[0]).join();
				}
			});
	}

	@Test
	void usesTheApplicationJsonMapper() {
		String topic = topic("json-mapper");
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, MqttAutoConfiguration.class))
			.withPropertyValues(commonProperties().toArray(String[]::new))
			.withPropertyValues("mqtt.client-id=" + this.clientId + "-json",
					"spring.jackson.property-naming-strategy=SNAKE_CASE")
			.run((context) -> {
				await().atMost(TIMEOUT).until(context.getBean(ClientManager.class)::isConnected);
				try (MqttTestClient subscriber = subscriber(topic, 1)) {
					assertThat(context.getBean(MqttTemplate.class).send(topic, new RoomReading("hall", 19)))
						.succeedsWithin(TIMEOUT);
					assertThat(subscriber.awaitMessage(topic, TIMEOUT).payloadAsString())
						.isEqualTo("{\"room_name\":\"hall\",\"celsius\":19}");
				}
			});
	}

	/**
	 * A burst far larger than the in-flight window waits for room instead of failing
	 * with Paho's "too many publishes in progress" (32202). Broker limits of this run:
	 * HiveMQ CE defaults, server Receive Maximum 10 (MQTT 5) and 50 messages in flight
	 * to a subscriber, except a queue of 20,000 messages per client instead of 1000 (the
	 * publisher is faster than a Paho subscriber, and the default queue would drop what
	 * does not fit, QoS 1 included). Client side: mqtt.max-inflight 100, so the
	 * template's window is 10 on MQTT 5 and 100 (Paho's limit) on 3.1.1.
	 */
	@Test
	void burstLargerThanTheInflightWindowWaitsInsteadOfFailing() {
		HiveMqBroker broker = burstBroker();
		String topic = topic("burst");
		int count = 10_000;
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(MqttAutoConfiguration.class))
			.withPropertyValues(commonProperties().toArray(String[]::new))
			.withPropertyValues("mqtt.url=" + broker.mqttUrl(), "mqtt.client-id=" + this.clientId + "-burst")
			.run((context) -> {
				await().atMost(TIMEOUT).until(context.getBean(ClientManager.class)::isConnected);
				MqttTemplate template = context.getBean(MqttTemplate.class);
				try (MqttTestClient subscriber = MqttTestClient.connect(broker.tcpUrl(), new NoDelaySocketFactory())
					.subscribe(topic, 1)) {
					List<CompletableFuture<Void>> futures = new ArrayList<>(count);
					for (int i = 0; i < count; i++) {
						futures.add(template.send(topic, Integer.toString(i), 1, false));
					}
					assertThat(CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)))
						.succeedsWithin(Duration.ofSeconds(60));
					assertThat(futures).allMatch((future) -> future.isDone() && !future.isCompletedExceptionally());
					assertThat(template.getInflightWindow().used()).isZero();
					await().atMost(Duration.ofSeconds(60))
						.until(() -> subscriber.messages().size(), (received) -> received >= count);
					Set<String> payloads = subscriber.messages()
						.stream()
						.map(Received::payloadAsString)
						.collect(Collectors.toSet());
					assertThat(payloads).hasSize(count);
				}
			});
	}

	@Test
	void sendsFromTheClientCallbackThreadWithoutBlockingIt() throws Exception {
		String trigger = topic("trigger");
		String out = topic("from-callback");
		int count = 300;
		List<CompletableFuture<Void>> futures = new CopyOnWriteArrayList<>();
		AtomicReference<String> thread = new AtomicReference<>();
		ClientManager.DefaultMessageHandler<Object> handler = (topic, message) -> {
			if (topic.equals(trigger)) {
				thread.set(Thread.currentThread().getName());
				for (int i = 0; i < count; i++) {
					futures.add(this.template.send(out, "n" + i, 1, false));
				}
			}
		};
		this.clientManager.addDefaultMessageHandler(handler);
		try (MqttTestClient subscriber = subscriber(out, 1)) {
			assertThat(this.template.getConnection().subscribe(trigger, 1)).succeedsWithin(TIMEOUT);
			assertThat(this.template.send(trigger, "go")).succeedsWithin(TIMEOUT);
			await().atMost(TIMEOUT).until(() -> futures.size() == count);
			assertThat(thread.get()).startsWith("MQTT Call: ");
			assertThat(CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)))
				.succeedsWithin(Duration.ofSeconds(30));
			await().atMost(TIMEOUT).until(() -> subscriber.messages().size() == count);
		}
		finally {
			this.clientManager.removeDefaultMessageHandler(handler);
		}
	}

	protected static void assertInvalid(CompletableFuture<?> future, String message) {
		assertThat(future).isCompletedExceptionally();
		assertThat(future).failsWithin(Duration.ZERO)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(IllegalArgumentException.class)
			.withMessageContaining(message);
	}

	private static synchronized HiveMqBroker burstBroker() {
		if (burstBroker == null) {
			HiveMqBroker broker = HiveMqBroker.start(false,
					"<mqtt><queued-messages><max-queue-size>20000</max-queue-size></queued-messages></mqtt>");
			Runtime.getRuntime().addShutdownHook(new Thread(broker::stop, "hivemq-burst-broker-shutdown"));
			burstBroker = broker;
		}
		return burstBroker;
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Turns Nagle's algorithm off, so that the subscriber's acknowledgements are not held
	 * back (with Linux's delayed ACKs that caps a Paho subscriber near 1000 messages/s).
	 */
	static final class NoDelaySocketFactory extends SocketFactory {

		@Override
		public Socket createSocket() throws IOException {
			Socket socket = new Socket();
			socket.setTcpNoDelay(true);
			return socket;
		}

		@Override
		public Socket createSocket(String host, int port) throws IOException {
			throw new UnsupportedOperationException();
		}

		@Override
		public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
			throw new UnsupportedOperationException();
		}

		@Override
		public Socket createSocket(InetAddress host, int port) throws IOException {
			throw new UnsupportedOperationException();
		}

		@Override
		public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
				throws IOException {
			throw new UnsupportedOperationException();
		}

	}

	record Reading(String room, double celsius) {
	}

	record RoomReading(String roomName, int celsius) {
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ JacksonAutoConfiguration.class, MqttAutoConfiguration.class })
	static class MqttConfiguration {

	}

}
