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
package io.mqttboot.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import io.mqttboot.connection.BrokerLimits;
import io.mqttboot.connection.MqttConnection;
import io.mqttboot.core.MqttTemplate;
import io.mqttboot.event.MqttConnectedEvent;
import io.mqttboot.test.EnabledIfMosquitto;
import io.mqttboot.test.MosquittoBroker;
import io.mqttboot.test.MqttTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.context.ApplicationListener;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static io.mqttboot.autoconfigure.ConnectionTestSupport.WAIT;
import static io.mqttboot.autoconfigure.ConnectionTestSupport.awaitUp;
import static io.mqttboot.autoconfigure.ConnectionTestSupport.health;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The limits an MQTT 5 broker announces in its CONNACK, against a Mosquitto configured
 * the way strict (cloud) brokers are: {@code max_qos 1}, {@code retain_available false},
 * {@code max_packet_size 4096}, {@code max_keepalive 30}. A send over a limit fails
 * before anything is sent, and the connection stays up: one connection in the broker's
 * log for the whole test.
 *
 * @author mqttboot
 */
@EnabledIfMosquitto
class BrokerLimitsIntegrationTests {

	private static MosquittoBroker broker;

	@BeforeAll
	static void startBroker() {
		broker = MosquittoBroker.builder().strict().start();
	}

	@AfterAll
	static void stopBroker() {
		broker.close();
	}

	private ApplicationContextRunner contextRunner(String clientId) {
		return ConnectionTestSupport.contextRunner("5")
			.withPropertyValues("mqtt.url=" + broker.mqttUrl(), "mqtt.client-id=" + clientId, "mqtt.keep-alive=60s");
	}

	@Test
	void announcedLimitsAreInHealthAndOnTheConnection() {
		String clientId = ConnectionTestSupport.clientId("limits");
		contextRunner(clientId).run((context) -> {
			awaitUp(context);
			// Paho reports the connection up a moment before it hands over the CONNACK
			await().atMost(WAIT).until(() -> context.getBean(MqttConnection.class).getBrokerLimits().isAnnounced());
			Health health = health(context);
			BrokerLimits limits = context.getBean(MqttConnection.class).getBrokerLimits();
			assertThat(limits.getMaximumQos()).isEqualTo(1);
			assertThat(limits.isRetainAvailable()).isFalse();
			assertThat(limits.getMaximumPacketSize()).isEqualTo(MosquittoBroker.STRICT_MAX_PACKET_SIZE);
			assertThat(limits.getServerKeepAlive()).isEqualTo(MosquittoBroker.STRICT_MAX_KEEP_ALIVE);
			assertThat(health.getDetails()).containsKey("broker");
			@SuppressWarnings("unchecked")
			Map<String, Object> announced = (Map<String, Object>) health.getDetails().get("broker");
			assertThat(announced).containsEntry("maximumQos", 1)
				.containsEntry("retainAvailable", false)
				.containsEntry("maximumPacketSize", (long) MosquittoBroker.STRICT_MAX_PACKET_SIZE)
				.containsEntry("serverKeepAlive", MosquittoBroker.STRICT_MAX_KEEP_ALIVE);
		});
	}

	@Test
	void sendsOverTheLimitsFailBeforeAnythingIsSentAndTheConnectionStaysUp() {
		String clientId = ConnectionTestSupport.clientId("over");
		String topic = "limits/" + clientId;
		contextRunner(clientId).withBean(Connections.class).run((context) -> {
			awaitUp(context);
			MqttTemplate template = context.getBean(MqttTemplate.class);
			try (MqttTestClient observer = MqttTestClient.connect(broker.tcpUrl()).subscribe(topic, 1)) {
				assertOverLimit(template.send(topic, "x", 2, false), "QoS 2 is above the broker's Maximum QoS 1");
				assertOverLimit(template.send(topic, "x", 1, true),
						"The broker does not accept retained messages (Retain Available false)");
				// PUBLISH at QoS 1: 1 byte of type and flags, 2 of remaining length, 2 +
				// topic, 2 of packet id, 1 of properties length; no topic alias, although
				// Mosquitto announces a Topic Alias Maximum of 10 (the starter gives none)
				assertThat(context.getBean(MqttConnection.class).getBrokerLimits().getTopicAliasMaximum()).isPositive();
				int largest = MosquittoBroker.STRICT_MAX_PACKET_SIZE - (1 + 2 + 2 + topic.length() + 2 + 1);
				assertOverLimit(template.send(topic, new byte[largest + 1], 1, false),
						"The PUBLISH packet of " + (MosquittoBroker.STRICT_MAX_PACKET_SIZE + 1)
								+ " bytes is larger than the broker's Maximum Packet Size of "
								+ MosquittoBroker.STRICT_MAX_PACKET_SIZE + " bytes");
				observer.expectNoMessage(topic, Duration.ofMillis(300));
				// The largest packet the broker accepts goes through: the size is counted
				// as the broker counts it
				assertThat(template.send(topic, new byte[largest], 1, false)).succeedsWithin(WAIT);
				assertThat(observer.awaitMessage(topic, WAIT).payload()).hasSize(largest);
				assertThat(template.send(topic, "fine", 1, false)).succeedsWithin(WAIT);
				assertThat(observer.awaitMessage(topic, WAIT).payloadAsString()).isEqualTo("fine");
			}
			assertThat(context.getBean(MqttConnection.class).isConnected()).isTrue();
			// Paho's callback thread has seen every acknowledgement: a disconnect would be
			// reported by now
			assertThat(context.getBean(Connections.class).count()).isEqualTo(1);
		});
	}

	/**
	 * Counts the connections the broker accepted.
	 */
	static class Connections implements ApplicationListener<MqttConnectedEvent> {

		private final AtomicInteger count = new AtomicInteger();

		@Override
		public void onApplicationEvent(MqttConnectedEvent event) {
			this.count.incrementAndGet();
		}

		int count() {
			return this.count.get();
		}

	}

	private static void assertOverLimit(CompletableFuture<Void> sent, String message) {
		assertThat(sent).failsWithin(WAIT)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(IllegalArgumentException.class)
			.withMessageContaining(message);
	}

}
