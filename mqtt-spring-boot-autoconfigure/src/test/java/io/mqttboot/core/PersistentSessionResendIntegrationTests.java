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
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.mqttboot.autoconfigure.MqttAutoConfiguration;
import io.mqttboot.connection.MqttConnection;
import io.mqttboot.test.EnabledIfMosquitto;
import io.mqttboot.test.HiveMqBroker;
import io.mqttboot.test.MosquittoBroker;
import io.mqttboot.test.MqttTestClient;
import io.mqttboot.test.TcpProxy;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A QoS 1 send in flight when the connection of a persistent MQTT 5 session is lost is
 * sent again by the session on the next connection, and arrives; the connection stays up.
 * Paho 1.2.5 gives publishes outgoing topic aliases by itself when the broker allows
 * them, and stores an aliased publish without its topic; resent on the next connection,
 * where the alias is unknown, it has neither topic nor alias, and the broker closes the
 * connection for a protocol error, again on every reconnect. The starter uses no outgoing
 * topic aliases.
 *
 * @author mqttboot
 */
class PersistentSessionResendIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@Test
	void inflightSendOfAPersistentSessionIsResentAndTheConnectionStaysUpOnHiveMq() {
		HiveMqBroker broker = HiveMqBroker.shared();
		assertResentAfterALoss(broker.port(), broker.tcpUrl());
	}

	@Test
	@EnabledIfMosquitto
	void inflightSendOfAPersistentSessionIsResentAndTheConnectionStaysUpOnMosquitto() {
		try (MosquittoBroker broker = MosquittoBroker.startPlain()) {
			assertResentAfterALoss(broker.port(), broker.tcpUrl());
		}
	}

	@Test
	void inflightSendOfAPersistentSessionSucceedsAfterFailedReconnectionAttempts() {
		HiveMqBroker broker = HiveMqBroker.shared();
		String topic = "it/resend/" + UUID.randomUUID().toString().substring(0, 8);
		try (TcpProxy proxy = TcpProxy.to(broker.port());
				MqttTestClient subscriber = MqttTestClient.connect(broker.tcpUrl()).subscribe(topic, 1)) {
			contextRunner(proxy).run((context) -> {
				MqttTemplate template = context.getBean(MqttTemplate.class);
				MqttConnection connection = context.getBean(MqttConnection.class);
				await().atMost(WAIT).until(connection::isConnected);
				proxy.freeze();
				CompletableFuture<Void> inflight = template.send(topic, "in flight");
				await().atMost(WAIT).until(() -> template.getInflightCount() == 1);
				proxy.setRefusing(true);
				int accepted = proxy.accepted();
				proxy.cut();
				// Paho fails the tokens of the session's in-flight messages again at each
				// failed connection attempt
				await().atMost(WAIT).until(() -> proxy.accepted() >= accepted + 3);
				assertThat(inflight).isNotDone();
				proxy.setRefusing(false);
				assertThat(inflight).succeedsWithin(WAIT);
				await().atMost(WAIT).until(() -> payloads(subscriber).contains("in flight"));
				assertThat(template.send(topic, "after")).succeedsWithin(WAIT);
				await().atMost(WAIT).until(() -> payloads(subscriber).contains("after"));
				// Sent again by the session only, not by the template as well
				assertThat(payloads(subscriber).stream().filter("in flight"::equals).count()).isEqualTo(1);
			});
		}
	}

	private static ApplicationContextRunner contextRunner(TcpProxy proxy) {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(MqttAutoConfiguration.class))
			.withPropertyValues("mqtt.url=" + proxy.mqttUrl(),
					"mqtt.client-id=resend-" + UUID.randomUUID().toString().substring(0, 8), "mqtt.clean-start=false",
					"mqtt.session-expiry=5m", "mqtt.reconnect.min-delay=100ms", "mqtt.reconnect.max-delay=500ms",
					"mqtt.template.default-qos=1");
	}

	private void assertResentAfterALoss(int brokerPort, String brokerUrl) {
		String topic = "it/resend/" + UUID.randomUUID().toString().substring(0, 8);
		try (TcpProxy proxy = TcpProxy.to(brokerPort);
				MqttTestClient subscriber = MqttTestClient.connect(brokerUrl).subscribe(topic, 1)) {
			contextRunner(proxy).run((context) -> {
					MqttTemplate template = context.getBean(MqttTemplate.class);
					MqttConnection connection = context.getBean(MqttConnection.class);
					await().atMost(WAIT).until(connection::isConnected);
					// Two sends to one topic: Paho would give the second only the alias
					assertThat(template.send(topic, "first")).succeedsWithin(WAIT);
					assertThat(template.send(topic, "second")).succeedsWithin(WAIT);
					proxy.freeze();
					CompletableFuture<Void> inflight = template.send(topic, "in flight");
					await().atMost(WAIT).until(() -> template.getInflightCount() == 1);
					int connectsBefore = proxy.packetsFromClient(TcpProxy.CONNECT);
					proxy.cut();
					assertThat(inflight).succeedsWithin(WAIT);
					await().atMost(WAIT).until(() -> payloads(subscriber).contains("in flight"));
					assertThat(template.send(topic, "after")).succeedsWithin(WAIT);
					await().atMost(WAIT).until(() -> payloads(subscriber).contains("after"));
					// one reconnection, and it stays: no protocol-error loop
					await().during(Duration.ofSeconds(2))
						.atMost(Duration.ofSeconds(4))
						.until(() -> connection.isConnected()
								&& proxy.packetsFromClient(TcpProxy.CONNECT) == connectsBefore + 1);
				});
		}
	}

	private static List<String> payloads(MqttTestClient subscriber) {
		return subscriber.messages()
			.stream()
			.map((received) -> new String(received.payload(), StandardCharsets.UTF_8))
			.toList();
	}

}
