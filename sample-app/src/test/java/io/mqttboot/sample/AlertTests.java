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
package io.mqttboot.sample;

import java.time.Duration;
import java.time.Instant;

import io.mqttboot.test.EmbeddedMqttBroker;
import io.mqttboot.test.MqttRecording;
import io.mqttboot.test.MqttTestClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The test example of the README and of {@code docs/testing.md}: a reading above the
 * threshold, published by the test client, makes the listener publish an alert.
 *
 * @author mqttboot
 */
// tag::test[]
@SpringBootTest
@EmbeddedMqttBroker
class AlertTests {

	@Autowired
	MqttTestClient mqtt;

	@Test
	void hotReadingRaisesAnAlert() {
		try (MqttRecording alerts = this.mqtt.subscribe("alerts/attic/temperature")) {
			this.mqtt.publish("sensors/attic/temperature", new Reading(31.5, Instant.now()));
			Alert alert = alerts.awaitMessage(Duration.ofSeconds(5)).payload(Alert.class);
			assertThat(alert.device()).isEqualTo("attic");
			assertThat(alert.celsius()).isEqualTo(31.5);
		}
	}

}
// end::test[]
