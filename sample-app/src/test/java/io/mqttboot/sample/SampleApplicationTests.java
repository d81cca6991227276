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
import java.util.List;
import java.util.Map;

import io.mqttboot.test.EmbeddedMqttBroker;
import io.mqttboot.test.MqttRecording;
import io.mqttboot.test.MqttTestClient;
import io.mqttboot.test.ReceivedMqttMessage;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * End-to-end tests of the sample on an embedded broker, with the test module: the test
 * client records what the simulated devices and the listener publish, and publishes
 * readings of its own, which reach the listener, its alert and the REST endpoint. The
 * context is ready (connected, listeners subscribed) before the first test.
 *
 * @author mqttboot
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "sample.interval=200ms")
@EmbeddedMqttBroker
class SampleApplicationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final ParameterizedTypeReference<Map<String, Object>> JSON_MAP = new ParameterizedTypeReference<>() {
	};

	@LocalServerPort
	private int port;

	@Autowired
	private MqttTestClient mqtt;

	@Test
	void simulatedDevicesPublishJsonReadings() {
		try (MqttRecording readings = this.mqtt.subscribe("sensors/+/temperature")) {
			List<ReceivedMqttMessage> messages = readings.awaitMessages(3, TIMEOUT);
			assertThat(messages).extracting(ReceivedMqttMessage::topic)
				.allMatch((topic) -> List.of("sensors/kitchen/temperature", "sensors/garage/temperature",
						"sensors/greenhouse/temperature")
					.contains(topic));
			assertThat(messages).allSatisfy((message) -> {
				assertThat(message.qos()).isEqualTo(1);
				assertThat(message.payload(Reading.class).timestamp()).isNotNull();
			});
		}
	}

	@Test
	void devicesAnnounceThemselvesWithARetainedStatus() {
		try (MqttRecording status = this.mqtt.subscribe("devices/kitchen/status")) {
			ReceivedMqttMessage online = status.awaitMessage(TIMEOUT);
			assertThat(online.payloadAsString()).isEqualTo("online");
			assertThat(online.retained()).isTrue();
		}
	}

	@Test
	void readingAboveTheThresholdIsRecordedAndRaisesAnAlert() {
		try (MqttRecording alerts = this.mqtt.subscribe("alerts/attic/temperature")) {
			this.mqtt.publish("sensors/attic/temperature", new Reading(31.5, Instant.now()));
			ReceivedMqttMessage alert = alerts.awaitMessage(TIMEOUT);
			assertThat(alert.payload(Alert.class)).isEqualTo(new Alert("attic", 31.5, 28.0));
		}
		// the listener recorded the reading before it sent the alert
		Map<String, Object> attic = rest().get().uri("/devices/attic").retrieve().body(JSON_MAP);
		assertThat(attic).containsEntry("readings", 1);
		assertThat(((Map<?, ?>) attic.get("latest")).get("celsius")).isEqualTo(31.5);
	}

	@Test
	void readingBelowTheThresholdRaisesNoAlert() {
		try (MqttRecording alerts = this.mqtt.subscribe("alerts/cellar/temperature")) {
			this.mqtt.publish("sensors/cellar/temperature", new Reading(12.0, Instant.now()));
			// the listener takes the readings of a topic in order: the alert of the next
			// one, above the threshold, is the first
			this.mqtt.publish("sensors/cellar/temperature", new Reading(29.0, Instant.now()));
			assertThat(alerts.awaitMessage(TIMEOUT).payload(Alert.class).celsius()).isEqualTo(29.0);
		}
	}

	@Test
	void restEndpointShowsTheSimulatedDevices() {
		// the simulator's readings arrive every 200 ms: wait for the first ones
		await().atMost(TIMEOUT).untilAsserted(() -> {
			Map<String, Object> devices = rest().get().uri("/devices").retrieve().body(JSON_MAP);
			assertThat(devices).containsKeys("kitchen", "garage", "greenhouse");
			Map<?, ?> kitchen = (Map<?, ?>) devices.get("kitchen");
			assertThat(kitchen.get("status")).isEqualTo("online");
			assertThat(((Number) kitchen.get("readings")).longValue()).isGreaterThanOrEqualTo(3);
			assertThat(kitchen.get("average")).isNotNull();
		});
	}

	@Test
	@SuppressWarnings("unchecked")
	void healthShowsMqttUp() {
		// no wait: the context is handed to the tests once the connection is up
		Map<String, Object> health = rest().get().uri("/actuator/health/mqtt").retrieve().body(JSON_MAP);
		assertThat(health.get("status")).isEqualTo("UP");
		assertThat((Map<String, Object>) health.get("details")).containsKeys("server", "clientId", "protocolVersion");
	}

	@Test
	void unknownDeviceIsNotFound() {
		int status = rest().get()
			.uri("/devices/unknown")
			.exchange((request, response) -> response.getStatusCode().value());
		assertThat(status).isEqualTo(404);
	}

	private RestClient rest() {
		return RestClient.create("http://localhost:" + this.port);
	}

}
