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
package io.mqttboot.test;

import java.time.Duration;
import java.util.Map;

import io.mqttboot.connection.MqttConnection;
import io.mqttboot.listener.MqttListenerEndpointRegistry;
import io.mqttboot.test.OrderApplication.Confirmation;
import io.mqttboot.test.OrderApplication.Order;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.tuple;

/**
 * {@link EmbeddedMqttBroker @EmbeddedMqttBroker} and {@link MqttTestClient}: the
 * context's connection is on the embedded broker and ready when the tests start, and
 * the test client publishes to the application's listener and records what its
 * template sends.
 *
 * @author mqttboot
 */
@SpringBootTest(classes = OrderApplication.class)
@EmbeddedMqttBroker
class EmbeddedMqttBrokerTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@Autowired
	private MqttTestClient mqtt;

	@Autowired
	private MqttConnection connection;

	@Autowired
	private MqttListenerEndpointRegistry registry;

	@Autowired
	private io.mqttboot.autoconfigure.embedded.EmbeddedMqttBroker broker;

	@Autowired
	private Environment environment;

	@Test
	void connectionIsUpAndListenersAreSubscribedBeforeTheFirstTest() {
		assertThat(this.connection.isConnected()).isTrue();
		assertThat(this.registry.isSubscribed("orders")).isTrue();
	}

	@Test
	void connectionAndTestClientUseTheEmbeddedBroker() {
		assertThat(this.connection.getServerUri()).isEqualTo(this.broker.getUrl());
		assertThat(this.environment.getProperty("mqtt.url")).isEqualTo(this.broker.getUrl());
		assertThat(this.environment.getProperty("local.mqtt.port", Integer.class)).isEqualTo(this.broker.getPort());
		assertThat(this.mqtt.getServerUri()).isEqualTo("tcp://127.0.0.1:" + this.broker.getPort());
		assertThat(this.mqtt.isConnected()).isTrue();
		assertThat(this.mqtt.getClientId()).isNotEqualTo(this.connection.getClientId()).startsWith("mqtt-test-");
	}

	@Test
	void publishedMessageReachesTheListenerAndItsReplyIsRecorded() {
		try (MqttRecording confirmations = this.mqtt.subscribe("confirmations/+")) {
			this.mqtt.publish("orders/42", new Order("lamp", 2));
			ReceivedMqttMessage confirmation = confirmations.awaitMessage(TIMEOUT);
			assertThat(confirmation.topic()).isEqualTo("confirmations/42");
			assertThat(confirmation.payload(Confirmation.class)).isEqualTo(new Confirmation("42", "lamp", 2));
			assertThat(confirmation.payloadAsString()).contains("\"item\":\"lamp\"");
			assertThat(confirmation.qos()).isEqualTo(1);
			assertThat(confirmation.retained()).isFalse();
			assertThat(confirmation.userProperties()).containsEntry("order-id", "42");
			assertThat(confirmation.contentType()).isEqualTo("application/json");
		}
	}

	@Test
	void messagesAreAssertjFriendly() {
		try (MqttRecording recording = this.mqtt.subscribe("assertj/#")) {
			this.mqtt.publish("assertj/a", "one", 0, false);
			this.mqtt.publish("assertj/b", "two".getBytes(), 2, false);
			assertThat(recording.awaitMessages(2, TIMEOUT)).extracting("topic", "qos", "retained")
				.containsExactly(tuple("assertj/a", 0, false), tuple("assertj/b", 2, false));
			assertThat(recording.getMessages()).extracting(ReceivedMqttMessage::payloadAsString)
				.containsExactly("one", "two");
		}
	}

	@Test
	void retainedMessageAndUserPropertiesAreRecorded() {
		this.mqtt.publish("retained/status", "online", 1, true, Map.of("device", "kitchen"));
		try (MqttRecording recording = this.mqtt.subscribe("retained/status")) {
			ReceivedMqttMessage status = recording.awaitMessage(TIMEOUT);
			assertThat(status.payloadAsString()).isEqualTo("online");
			assertThat(status.retained()).isTrue();
			assertThat(status.userProperties()).containsExactly(Map.entry("device", "kitchen"));
		}
		finally {
			this.mqtt.publish("retained/status", new byte[0], 1, true);
		}
	}

	@Test
	void awaitFailsNamingTheFiltersWhenNothingArrives() {
		try (MqttRecording recording = this.mqtt.subscribe("silent/#")) {
			assertThatExceptionIsAssertionError(recording);
		}
	}

	@Test
	void refusedSubscriptionFails() {
		assertThatIllegalStateException().isThrownBy(() -> this.mqtt.subscribe("bad/#/filter"));
	}

	private static void assertThatExceptionIsAssertionError(MqttRecording recording) {
		try {
			recording.awaitMessage(Duration.ofMillis(100));
		}
		catch (AssertionError ex) {
			assertThat(ex).hasMessageContaining("[silent/#]").hasMessageContaining("but got 0");
			return;
		}
		throw new AssertionError("awaitMessage did not fail");
	}

}
