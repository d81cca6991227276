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

import io.mqttboot.autoconfigure.embedded.EmbeddedMqttBroker;
import io.mqttboot.listener.MqttListenerEndpointRegistry;
import io.mqttboot.test.OrderApplication.Confirmation;
import io.mqttboot.test.OrderApplication.Order;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link AutoConfigureMqttTestClient @AutoConfigureMqttTestClient} against a broker the
 * test did not start through {@link io.mqttboot.test.EmbeddedMqttBroker
 * @EmbeddedMqttBroker}: here the embedded broker turned on by properties, reached
 * through the context's connection details.
 *
 * @author mqttboot
 */
@SpringBootTest(classes = OrderApplication.class,
		properties = { "mqtt.embedded.enabled=true", "mqtt.embedded.port=0" })
@AutoConfigureMqttTestClient
class AutoConfigureMqttTestClientTests {

	@Autowired
	private MqttTestClient mqtt;

	@Autowired
	private EmbeddedMqttBroker broker;

	@Autowired
	private MqttListenerEndpointRegistry registry;

	@Test
	void testClientIsOnTheBrokerOfTheConnection() {
		assertThat(this.mqtt.getServerUri()).isEqualTo("tcp://127.0.0.1:" + this.broker.getPort());
		assertThat(this.mqtt.isConnected()).isTrue();
	}

	@Test
	void roundTrip() {
		// Without @EmbeddedMqttBroker nothing waits for the listener's subscription
		await().atMost(Duration.ofSeconds(10)).until(() -> this.registry.isSubscribed("orders"));
		try (MqttRecording confirmations = this.mqtt.subscribe("confirmations/#")) {
			this.mqtt.publish("orders/7", new Order("cable", 3));
			assertThat(confirmations.awaitMessage(Duration.ofSeconds(10)).payload(Confirmation.class))
				.isEqualTo(new Confirmation("7", "cable", 3));
		}
	}

}
