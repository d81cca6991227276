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

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import io.mqttboot.autoconfigure.ConnectionTestSupport.Inbox;
import io.mqttboot.autoconfigure.ConnectionTestSupport.InboxConfiguration;
import io.mqttboot.connection.ReconnectingMqttv5ClientManager;
import io.mqttboot.test.MqttConnectPacket;
import io.mqttboot.test.MqttTestClient;
import io.mqttboot.test.TcpProxy;
import org.eclipse.paho.mqttv5.client.IMqttAsyncClient;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.context.ApplicationContext;
import org.springframework.integration.mqtt.core.ClientManager;
import org.springframework.integration.mqtt.core.Mqttv5ClientManager;

import static io.mqttboot.autoconfigure.ConnectionTestSupport.WAIT;
import static io.mqttboot.autoconfigure.ConnectionTestSupport.awaitUp;
import static io.mqttboot.autoconfigure.ConnectionTestSupport.clientManager;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link AbstractConnectionIntegrationTests} for MQTT 5, plus what only MQTT 5 has:
 * Session Expiry Interval (R15) and CONNECT properties whose effect a broker shows
 * (R16).
 *
 * @author mqttboot
 */
class Mqttv5ConnectionIntegrationTests extends AbstractConnectionIntegrationTests {

	@Override
	String protocolVersion() {
		return "5";
	}

	@Override
	String[] persistentSessionProperties() {
		return new String[] { "mqtt.clean-start=false", "mqtt.session-expiry=1h" };
	}

	@Override
	void subscribe(ApplicationContext context, String filter, int qos) throws Exception {
		IMqttToken token = context.getBean(IMqttAsyncClient.class).subscribe(filter, qos);
		token.waitForCompletion(WAIT.toMillis());
		assertThat(Arrays.stream(token.getReasonCodes()).max().orElse(0)).isLessThan(0x80);
	}

	@Override
	void publish(ApplicationContext context, String topic, String payload, int qos) throws Exception {
		context.getBean(IMqttAsyncClient.class)
			.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, false)
			.waitForCompletion(WAIT.toMillis());
	}

	@Override
	RawClient connectRawClient(String url, String clientId) {
		MqttTestClient client = MqttTestClient.connect(url, clientId, MqttTestClient.options());
		return new RawClient() {

			@Override
			public boolean isConnected() {
				return client.isConnected();
			}

			@Override
			public void close() {
				client.close();
			}

		};
	}

	@Override
	String takeoverLogMessage(String clientId) {
		return "(client id '" + clientId + "') taken over: the broker ended it (DISCONNECT from the broker, reason code 0x8e";
	}

	@Test
	void theClientManagerIsTheMqtt5One() {
		contextRunner().withPropertyValues("mqtt.url=" + this.broker.mqttUrl()).run((context) -> {
			assertThat(context).hasSingleBean(ReconnectingMqttv5ClientManager.class)
				.hasSingleBean(IMqttAsyncClient.class)
				.getBean(ClientManager.class)
				.isInstanceOf(Mqttv5ClientManager.class);
			awaitUp(context);
		});
	}

	@Test
	void sessionExpiryNeverKeepsTheSession() {
		assertSessionSurvivesRestart("mqtt.clean-start=false", "mqtt.session-expiry=never");
	}

	@Test
	void sessionExpiryZeroEndsTheSessionWithTheConnection() {
		assertSessionEndsWithTheConnection("mqtt.clean-start=false", "mqtt.session-expiry=0");
	}

	@Test
	void unsetSessionExpiryEndsTheSessionWithTheConnectionAndIsWarnedAbout(CapturedOutput output) {
		assertSessionEndsWithTheConnection("mqtt.clean-start=false");
		assertThat(output.getAll()).contains("mqtt.clean-start is false but mqtt.session-expiry is not set");
	}

	@Test
	void maximumPacketSizeKeepsLargerMessagesAway() {
		String topic = topic("maximum-packet-size");
		contextRunner().withUserConfiguration(InboxConfiguration.class)
			.withPropertyValues("mqtt.url=" + this.broker.mqttUrl(),
					"mqtt.connect-properties.maximum-packet-size=256")
			.run((context) -> {
				awaitUp(context);
				subscribe(context, topic, 1);
				Inbox inbox = context.getBean(Inbox.class);
				try (MqttTestClient publisher = MqttTestClient.connect(this.broker.tcpUrl())) {
					publisher.publish(topic, "x".repeat(1024), 1, false);
					publisher.publish(topic, "small", 1, false);
					await().atMost(WAIT).until(() -> inbox.payloads().contains("small"));
					assertThat(inbox.payloads()).containsExactly("small");
					assertThat(clientManager(context).isConnected()).isTrue();
				}
			});
	}

	@Test
	void connectPropertiesReachTheBrokerInTheConnectPacket() {
		try (TcpProxy proxy = TcpProxy.to(this.broker.port())) {
			contextRunner()
				.withPropertyValues("mqtt.url=" + proxy.mqttUrl(), "mqtt.connect-properties.receive-maximum=5",
						"mqtt.connect-properties.maximum-packet-size=65536",
						"mqtt.connect-properties.topic-alias-maximum=3",
						"mqtt.connect-properties.request-response-information=true",
						"mqtt.connect-properties.request-problem-information=false",
						"mqtt.connect-properties.user-properties.app=orders",
						"mqtt.connect-properties.user-properties.region=eu")
				.run((context) -> {
					// the broker accepted a CONNECT with every property ...
					awaitUp(context);
					// ... and this is what it received. HiveMQ CE without extensions shows no
					// further effect of the user properties, the topic alias maximum or the
					// request flags (it sends no Response Information): only receive-maximum
					// (MosquittoConnectIntegrationTests) and maximum-packet-size (below) have
					// an effect a test can observe
					assertThat(proxy.connectPackets()).singleElement().satisfies((connect) -> {
						assertThat(connect.protocolLevel()).isEqualTo(5);
						assertThat(connect.properties()).containsEntry(MqttConnectPacket.RECEIVE_MAXIMUM, 5)
							.containsEntry(MqttConnectPacket.MAXIMUM_PACKET_SIZE, 65536L)
							.containsEntry(MqttConnectPacket.TOPIC_ALIAS_MAXIMUM, 3)
							.containsEntry(MqttConnectPacket.REQUEST_RESPONSE_INFORMATION, 1)
							.containsEntry(MqttConnectPacket.REQUEST_PROBLEM_INFORMATION, 0)
							.containsEntry(MqttConnectPacket.USER_PROPERTY,
									List.of(List.of("app", "orders"), List.of("region", "eu")));
					});
				});
		}
	}

	@ParameterizedTest(name = "session-expiry={0}")
	@CsvSource({ "1h, 3600", "never, 4294967295", "0, 0" })
	void sessionExpiryReachesTheBrokerInTheConnectPacket(String sessionExpiry, long seconds) {
		try (TcpProxy proxy = TcpProxy.to(this.broker.port())) {
			contextRunner()
				.withPropertyValues("mqtt.url=" + proxy.mqttUrl(), "mqtt.clean-start=false",
						"mqtt.client-id=" + ConnectionTestSupport.clientId("it-expiry"),
						"mqtt.session-expiry=" + sessionExpiry)
				.run((context) -> {
					awaitUp(context);
					assertThat(proxy.connectPackets()).singleElement().satisfies((connect) -> {
						assertThat(connect.cleanStart()).isFalse();
						assertThat(connect.properties()).containsEntry(MqttConnectPacket.SESSION_EXPIRY_INTERVAL,
								seconds);
					});
				});
		}
	}

	@Test
	void unsetSessionExpiryIsNotSent() {
		try (TcpProxy proxy = TcpProxy.to(this.broker.port())) {
			contextRunner().withPropertyValues("mqtt.url=" + proxy.mqttUrl()).run((context) -> {
				awaitUp(context);
				assertThat(proxy.connectPackets()).singleElement()
					.satisfies((connect) -> assertThat(connect.properties())
						.doesNotContainKey(MqttConnectPacket.SESSION_EXPIRY_INTERVAL));
			});
		}
	}

	@Test
	void willPropertiesReachTheSubscriber() {
		String clientId = ConnectionTestSupport.clientId("it-willp");
		String willTopic = "it/will/" + clientId;
		try (TcpProxy proxy = TcpProxy.to(this.broker.port());
				MqttTestClient observer = MqttTestClient.connect(this.broker.tcpUrl())) {
			observer.subscribe(willTopic, 1);
			contextRunner()
				.withPropertyValues("mqtt.url=" + proxy.mqttUrl(), "mqtt.client-id=" + clientId,
						"mqtt.will.topic=" + willTopic, "mqtt.will.payload={\"state\":\"offline\"}",
						"mqtt.will.qos=1", "mqtt.will.content-type=application/json",
						"mqtt.will.message-expiry=1h", "mqtt.will.user-properties.device=" + clientId,
						"mqtt.automatic-reconnect=false")
				.run((context) -> {
					awaitUp(context);
					proxy.cut();
					MqttTestClient.Received will = observer.awaitMessage(willTopic, WAIT);
					assertThat(will.payloadAsString()).isEqualTo("{\"state\":\"offline\"}");
					assertThat(will.properties().getContentType()).isEqualTo("application/json");
					assertThat(will.properties().getUserProperties())
						.containsExactly(new UserProperty("device", clientId));
					assertThat(will.properties().getMessageExpiryInterval()).isBetween(3590L, 3600L);
				});
		}
	}

	@Test
	void willDelayIntervalDelaysTheWill() {
		String clientId = ConnectionTestSupport.clientId("it-delay");
		String willTopic = "it/will/" + clientId;
		try (TcpProxy proxy = TcpProxy.to(this.broker.port());
				MqttTestClient observer = MqttTestClient.connect(this.broker.tcpUrl())) {
			observer.subscribe(willTopic, 1);
			contextRunner()
				.withPropertyValues("mqtt.url=" + proxy.mqttUrl(), "mqtt.client-id=" + clientId,
						"mqtt.session-expiry=1m", "mqtt.will.topic=" + willTopic, "mqtt.will.payload=late",
						"mqtt.will.delay-interval=2s", "mqtt.automatic-reconnect=false")
				.run((context) -> {
					awaitUp(context);
					assertThat(proxy.connectPackets()).singleElement()
						.satisfies((connect) -> assertThat(connect.will().properties())
							.containsEntry(MqttConnectPacket.WILL_DELAY_INTERVAL, 2L));
					long cut = System.nanoTime();
					proxy.cut();
					assertThat(observer.awaitMessage(willTopic, WAIT).payloadAsString()).isEqualTo("late");
					assertThat((System.nanoTime() - cut) / 1_000_000).isGreaterThanOrEqualTo(1_900L);
				});
		}
	}

}
