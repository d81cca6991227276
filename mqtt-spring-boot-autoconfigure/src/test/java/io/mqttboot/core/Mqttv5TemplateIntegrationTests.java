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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.mqttboot.test.MqttTestClient;
import io.mqttboot.test.MqttTestClient.Received;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.Test;

import org.springframework.integration.mqtt.core.AbstractMqttClientManager;
import org.springframework.integration.mqtt.core.ClientManager;
import org.springframework.integration.mqtt.support.MqttHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link AbstractMqttTemplateIntegrationTests} for MQTT 5, plus the MQTT 5 features:
 * properties and request/response. The template's connection has a Receive Maximum of
 * 1, so that a response it did not acknowledge would block the next one.
 *
 * @author mqttboot
 */
class Mqttv5TemplateIntegrationTests extends AbstractMqttTemplateIntegrationTests {

	@Override
	protected String protocolVersion() {
		return "5";
	}

	@Override
	protected List<String> extraProperties() {
		return List.of("mqtt.connect-properties.receive-maximum=1");
	}

	@Override
	protected void assertJsonContentType(Received received) {
		assertThat(received.properties().getContentType()).isEqualTo("application/json");
		assertThat(received.properties().getPayloadFormat()).isTrue();
	}

	@Test
	void mqtt5PropertiesArrive() {
		String topic = topic("properties");
		try (MqttTestClient subscriber = subscriber(topic, 1)) {
			Message<String> message = MessageBuilder.withPayload("with properties")
				.setHeader(MqttHeaders.TOPIC, topic)
				.setHeader(MqttHeaders.MESSAGE_EXPIRY_INTERVAL, 120L)
				.setHeader(MessageHeaders.CONTENT_TYPE, "text/plain")
				.setHeader(MqttHeaders.RESPONSE_TOPIC, "replies/here")
				.setHeader(MqttHeaders.CORRELATION_DATA, new byte[] { 1, 2, 3 })
				.setHeader("tenant", "acme")
				.setHeader("region", "eu")
				.build();
			assertThat(this.template.send(message)).succeedsWithin(TIMEOUT);
			Received received = subscriber.awaitMessage(topic, TIMEOUT);
			MqttProperties properties = received.properties();
			assertThat(received.payloadAsString()).isEqualTo("with properties");
			assertThat(properties.getMessageExpiryInterval()).isBetween(1L, 120L);
			assertThat(properties.getContentType()).isEqualTo("text/plain");
			assertThat(properties.getPayloadFormat()).isTrue();
			assertThat(properties.getResponseTopic()).isEqualTo("replies/here");
			assertThat(properties.getCorrelationData()).containsExactly(1, 2, 3);
			assertThat(properties.getUserProperties()).contains(new UserProperty("tenant", "acme"),
					new UserProperty("region", "eu"));
		}
	}

	@Test
	void sendAndReceiveRoundTrip() throws Exception {
		String requests = topic("echo");
		try (EchoResponder responder = new EchoResponder(this.broker.tcpUrl(), requests)) {
			Message<byte[]> response = this.template.sendAndReceive(requests, "ping", TIMEOUT)
				.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			assertThat(new String(response.getPayload(), StandardCharsets.UTF_8)).isEqualTo("ping");
			assertThat(response.getHeaders().get(MqttHeaders.RECEIVED_TOPIC))
				.isEqualTo(this.template.getResponseTopic())
				.isEqualTo("mqttboot/replies/" + this.clientId);
			assertThat(response.getHeaders().get("echoed")).isEqualTo("true");
			Received request = responder.requests.get(0);
			assertThat(request.properties().getResponseTopic()).isEqualTo(this.template.getResponseTopic());
			assertThat(request.properties().getCorrelationData()).hasSize(16)
				.isEqualTo(response.getHeaders().get(MqttHeaders.CORRELATION_DATA));
			Reading reading = this.template.sendAndReceive(requests, new Reading("attic", 12.5), Reading.class, TIMEOUT)
				.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			assertThat(reading).isEqualTo(new Reading("attic", 12.5));
		}
		assertThat(this.template.getPendingRequestCount()).isZero();
	}

	@Test
	void concurrentRequestsGetTheirOwnResponses() {
		String requests = topic("echo-concurrent");
		try (EchoResponder responder = new EchoResponder(this.broker.tcpUrl(), requests)) {
			List<CompletableFuture<Message<byte[]>>> responses = new ArrayList<>();
			for (int i = 0; i < 50; i++) {
				responses.add(this.template.sendAndReceive(requests, "request " + i, Duration.ofSeconds(30)));
			}
			for (int i = 0; i < 50; i++) {
				assertThat(responses.get(i)).succeedsWithin(Duration.ofSeconds(30))
					.extracting((response) -> new String(response.getPayload(), StandardCharsets.UTF_8))
					.isEqualTo("request " + i);
			}
		}
	}

	@Test
	void sendAndReceiveTimesOutWithoutResponder() {
		String requests = topic("nobody-home");
		CompletableFuture<Message<byte[]>> response = this.template.sendAndReceive(requests, "hello?",
				Duration.ofMillis(300));
		assertThat(response).failsWithin(TIMEOUT)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(TimeoutException.class)
			.withMessageContaining("No response to the request on '" + requests + "' within PT0.3S");
		assertThat(this.template.getPendingRequestCount()).isZero();
	}

	@Test
	void sendAndReceiveRefusesItsOwnHeaders() {
		assertInvalid(this.template.sendAndReceive(MessageBuilder.withPayload("x")
			.setHeader(MqttHeaders.TOPIC, topic("own-headers"))
			.setHeader(MqttHeaders.RESPONSE_TOPIC, "mine")
			.build(), TIMEOUT), "sets the response topic and correlation data itself");
	}

	@Test
	void inflightWindowFollowsTheReceiveMaximumOfTheServer() {
		// The template was created before the connection, when the server's Receive
		// Maximum was unknown (65535, so mqtt.max-inflight's 100); HiveMQ's is 10.
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(this.template.getInflightWindow().limit()).isEqualTo(10));
	}

	@Test
	void responsesAreAcknowledgedWithManualAcks() {
		// With a Receive Maximum of 1, the broker sends the second response only if the
		// first one was acknowledged.
		AbstractMqttClientManager<?, ?> manager = (AbstractMqttClientManager<?, ?>) this.clientManager;
		String requests = topic("echo-manual-acks");
		manager.setManualAcks(true);
		try (EchoResponder responder = new EchoResponder(this.broker.tcpUrl(), requests)) {
			for (int i = 0; i < 3; i++) {
				assertThat(this.template.sendAndReceive(requests, "manual " + i, TIMEOUT)).succeedsWithin(TIMEOUT);
			}
		}
		finally {
			manager.setManualAcks(false);
		}
	}

	@Test
	void responseTopicIsSubscribedAgainAfterReconnecting() {
		String requests = topic("echo-reconnect");
		AtomicInteger reconnects = new AtomicInteger();
		ClientManager.ConnectCallback callback = (isReconnect) -> reconnects.incrementAndGet();
		this.clientManager.addCallback(callback);
		try (EchoResponder responder = new EchoResponder(this.broker.tcpUrl(), requests)) {
			assertThat(this.template.sendAndReceive(requests, "before", TIMEOUT)).succeedsWithin(TIMEOUT);
			// Another connection with the same client id takes the session over; the
			// manager reconnects with a clean start, so the broker forgot the subscription.
			try (MqttTestClient intruder = MqttTestClient.connect(this.broker.tcpUrl(), this.clientId,
					MqttTestClient.options())) {
				await().atMost(TIMEOUT).until(() -> reconnects.get() > 0);
			}
			await().atMost(TIMEOUT).until(this.clientManager::isConnected);
			await().atMost(TIMEOUT)
				.untilAsserted(() -> assertThat(this.template.sendAndReceive(requests, "after", Duration.ofSeconds(1)))
					.succeedsWithin(Duration.ofSeconds(2)));
		}
		finally {
			this.clientManager.removeCallback(callback);
		}
	}

	/**
	 * A raw Paho client answering every request with its payload, to its response topic,
	 * with its correlation data and a user property {@code echoed=true}. It publishes one
	 * response at a time, the next when Paho reports the previous one complete: Paho
	 * frees its in-flight slot only after that, so even a publisher that waits for each
	 * token can hit "too many publishes in progress".
	 */
	static final class EchoResponder implements MqttCallback, AutoCloseable {

		final List<Received> requests = new CopyOnWriteArrayList<>();

		private final MqttAsyncClient client;

		private final Queue<Response> responses = new ConcurrentLinkedQueue<>();

		private final AtomicBoolean publishing = new AtomicBoolean();

		private final MqttActionListener next = new MqttActionListener() {

			@Override
			public void onSuccess(IMqttToken token) {
				EchoResponder.this.publishing.set(false);
				publishNext();
			}

			@Override
			public void onFailure(IMqttToken token, Throwable ex) {
				EchoResponder.this.publishing.set(false);
				publishNext();
			}

		};

		EchoResponder(String url, String topic) {
			try {
				this.client = new MqttAsyncClient(url, "echo-" + UUID.randomUUID().toString().substring(0, 8),
						new MemoryPersistence());
				this.client.setCallback(this);
				this.client.connect(MqttTestClient.options()).waitForCompletion(TIMEOUT.toMillis());
				this.client.subscribe(topic, 1).waitForCompletion(TIMEOUT.toMillis());
			}
			catch (MqttException ex) {
				throw new IllegalStateException(ex);
			}
		}

		@Override
		public void messageArrived(String topic, MqttMessage message) {
			MqttProperties properties = message.getProperties();
			this.requests.add(new Received(topic, message.getPayload(), message.getQos(), message.isRetained(),
					properties));
			MqttProperties response = new MqttProperties();
			response.setCorrelationData(properties.getCorrelationData());
			response.setUserProperties(List.of(new UserProperty("echoed", "true")));
			this.responses.add(new Response(properties.getResponseTopic(),
					new MqttMessage(message.getPayload(), 1, false, response)));
			publishNext();
		}

		private void publishNext() {
			while (!this.responses.isEmpty() && this.publishing.compareAndSet(false, true)) {
				Response response = this.responses.poll();
				if (response == null) {
					this.publishing.set(false);
					continue;
				}
				try {
					this.client.publish(response.topic(), response.message(), null, this.next);
				}
				catch (MqttException ex) {
					throw new IllegalStateException(ex);
				}
				return;
			}
		}

		@Override
		public void close() {
			try {
				this.client.disconnect().waitForCompletion(TIMEOUT.toMillis());
				this.client.close(true);
			}
			catch (MqttException ex) {
				// best effort
			}
		}

		private record Response(String topic, MqttMessage message) {
		}

		@Override
		public void disconnected(MqttDisconnectResponse response) {
		}

		@Override
		public void mqttErrorOccurred(MqttException exception) {
		}

		@Override
		public void deliveryComplete(IMqttToken token) {
		}

		@Override
		public void connectComplete(boolean reconnect, String serverURI) {
		}

		@Override
		public void authPacketArrived(int reasonCode, MqttProperties properties) {
		}

	}

}
