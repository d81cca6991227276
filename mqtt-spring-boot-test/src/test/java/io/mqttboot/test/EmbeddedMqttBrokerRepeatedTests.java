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

import io.mqttboot.test.OrderApplication.Confirmation;
import io.mqttboot.test.OrderApplication.Order;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The round trip of {@link EmbeddedMqttBrokerTests}, 20 times in a row: no sleeps, no
 * flakiness, every message arrives once.
 *
 * @author mqttboot
 */
@SpringBootTest(classes = OrderApplication.class)
@EmbeddedMqttBroker
class EmbeddedMqttBrokerRepeatedTests {

	@Autowired
	private MqttTestClient mqtt;

	private MqttRecording confirmations;

	@BeforeEach
	void subscribe() {
		this.confirmations = this.mqtt.subscribe("confirmations/#");
	}

	@AfterEach
	void unsubscribe() {
		this.confirmations.close();
	}

	@RepeatedTest(20)
	void roundTrip(RepetitionInfo repetition) {
		String id = "r" + repetition.getCurrentRepetition();
		this.mqtt.publish("orders/" + id, new Order("bolt", repetition.getCurrentRepetition()));
		ReceivedMqttMessage confirmation = this.confirmations.awaitMessage(Duration.ofSeconds(10));
		assertThat(confirmation.topic()).isEqualTo("confirmations/" + id);
		assertThat(confirmation.payload(Confirmation.class))
			.isEqualTo(new Confirmation(id, "bolt", repetition.getCurrentRepetition()));
		assertThat(this.confirmations.getMessages()).hasSize(1);
	}

}
