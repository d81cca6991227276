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

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.mqttboot.autoconfigure.ConnectionTestSupport.Inbox;
import io.mqttboot.autoconfigure.ConnectionTestSupport.InboxConfiguration;
import io.mqttboot.test.EnabledIfMosquitto;
import io.mqttboot.test.MosquittoBroker;
import io.mqttboot.test.MqttTestClient;
import org.eclipse.paho.mqttv5.client.IMqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.mqtt.core.ClientManager;
import org.springframework.integration.mqtt.core.Mqttv5ClientManager;

import static io.mqttboot.autoconfigure.ConnectionTestSupport.WAIT;
import static io.mqttboot.autoconfigure.ConnectionTestSupport.awaitUp;
import static io.mqttboot.autoconfigure.ConnectionTestSupport.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * End-to-end tests of what the CONNECT packet carries, as Mosquitto sees it (its debug
 * log names the protocol level, the clean flag, the keep-alive, the username and the
 * will of every client): protocol 3.1, 3.1.1 and 5 (R13), keep-alive, Clean Start /
 * Clean Session, username and will (R8, R10, R11, R12, R14), and the MQTT 5 Receive
 * Maximum, which Mosquitto honours exactly (R16).
 *
 * @author mqttboot
 */
@EnabledIfMosquitto
class MosquittoConnectIntegrationTests {

	private static final Path log = ConnectionTestSupport.newLogFile();

	private static MosquittoBroker broker;

	@BeforeAll
	static void startBroker() {
		broker = ConnectionTestSupport.mosquittoLoggingTo(log).start();
	}

	@AfterAll
	static void stopBroker() {
		broker.close();
	}

	@ParameterizedTest(name = "MQTT {0}")
	@CsvSource({ "5, p5", "3.1.1, p2", "3.1, p1" })
	void eachProtocolVersionConnectsWithItsProtocolLevel(String version, String level) {
		String clientId = ConnectionTestSupport.clientId("it-p");
		ConnectionTestSupport.contextRunner(version)
			.withPropertyValues("mqtt.url=" + broker.mqttUrl(), "mqtt.client-id=" + clientId)
			.run((context) -> {
				assertThat(awaitUp(context).getDetails()).containsEntry("protocolVersion", version);
				assertThat(read(log)).contains("as " + clientId + " (" + level + ", c1, k60).");
			});
	}

	@ParameterizedTest(name = "MQTT {0}")
	@CsvSource({ "5, p5, mqtt.session-expiry=1h", "3.1.1, p2, mqtt.enabled=true" })
	void keepAliveCleanStartUsernameAndWillReachTheBroker(String version, String level, String sessionProperty) {
		String clientId = ConnectionTestSupport.clientId("it-flags");
		String willTopic = "it/flags/" + clientId + "/status";
		ConnectionTestSupport.contextRunner(version)
			.withPropertyValues("mqtt.url=" + broker.mqttUrl(), "mqtt.client-id=" + clientId, "mqtt.keep-alive=7s",
					"mqtt.clean-start=false", sessionProperty, "mqtt.username=alice", "mqtt.will.topic=" + willTopic,
					"mqtt.will.payload=offline", "mqtt.will.qos=1", "mqtt.will.retain=true")
			.run((context) -> {
				awaitUp(context);
				assertThat(read(log)).contains("as " + clientId + " (" + level + ", c0, k7, u'alice').")
					.contains("Will message specified (7 bytes) (r1, q1).\n")
					.contains("\t" + willTopic + "\n");
			});
	}

	@Test
	void receiveMaximumLimitsTheUnacknowledgedMessagesTheBrokerSends() {
		String topic = "it/receive-maximum/" + ConnectionTestSupport.clientId("t");
		ConnectionTestSupport.contextRunner("5")
			.withUserConfiguration(InboxConfiguration.class, ManualAcksConfiguration.class)
			.withPropertyValues("mqtt.url=" + broker.mqttUrl(), "mqtt.connect-properties.receive-maximum=2")
			.run((context) -> {
				awaitUp(context);
				context.getBean(IMqttAsyncClient.class).subscribe(topic, 1).waitForCompletion(WAIT.toMillis());
				Inbox inbox = context.getBean(Inbox.class);
				try (MqttTestClient publisher = MqttTestClient.connect(broker.tcpUrl())) {
					for (int i = 1; i <= 5; i++) {
						publisher.publish(topic, "m" + i, 1, false);
					}
					// the broker holds back what exceeds 2 unacknowledged messages ...
					await().atMost(WAIT).untilAsserted(() -> assertThat(inbox.payloads()).hasSize(2));
					await().during(Duration.ofSeconds(1))
						.atMost(WAIT)
						.untilAsserted(() -> assertThat(inbox.payloads()).hasSize(2));
					// ... and sends the rest as the application acknowledges
					acknowledge(context, inbox.messages());
					await().atMost(WAIT).untilAsserted(() -> assertThat(inbox.payloads()).hasSizeGreaterThan(2));
					acknowledge(context, inbox.messages().subList(2, inbox.messages().size()));
					await().atMost(WAIT).untilAsserted(() -> assertThat(inbox.payloads()).hasSize(5));
					assertThat(inbox.payloads()).containsExactly("m1", "m2", "m3", "m4", "m5");
				}
			});
	}

	private static void acknowledge(ApplicationContext context, List<Object> messages) throws Exception {
		IMqttAsyncClient client = context.getBean(IMqttAsyncClient.class);
		for (Object message : messages) {
			MqttMessage received = (MqttMessage) message;
			client.messageArrivedComplete(received.getId(), received.getQos());
		}
	}

	/**
	 * Acknowledges QoS 1 messages only when the test says so.
	 */
	@Configuration(proxyBeanMethods = false)
	static class ManualAcksConfiguration {

		@Bean
		SmartInitializingSingleton manualAcks(ApplicationContext context) {
			return () -> ((Mqttv5ClientManager) context.getBean(ClientManager.class)).setManualAcks(true);
		}

	}

}
