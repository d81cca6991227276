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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.mqttboot.core.MqttTemplate;
import io.mqttboot.listener.MqttListener;
import io.mqttboot.listener.TopicVariable;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * End-to-end test of the sample on the embedded broker: readings flow from the simulated
 * devices through the broker to the listener and the REST endpoint, alerts are
 * published, and health shows the MQTT connection.
 *
 * @author mqttboot
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "mqtt.embedded.enabled=true", "mqtt.embedded.port=0", "sample.interval=200ms",
				"sample.alert-threshold=-100" })
class SampleApplicationTests {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON_MAP = new ParameterizedTypeReference<>() {
	};

	@LocalServerPort
	private int port;

	@Autowired
	private AlertCollector alerts;

	@Autowired
	private MqttTemplate template;

	@Test
	void readingsReachTheRestEndpoint() {
		RestClient client = RestClient.create("http://localhost:" + this.port);
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			Map<String, Object> devices = client.get().uri("/devices").retrieve().body(JSON_MAP);
			assertThat(devices).containsKeys("kitchen", "garage", "greenhouse");
			Map<?, ?> kitchen = (Map<?, ?>) devices.get("kitchen");
			assertThat(kitchen.get("status")).isEqualTo("online");
			assertThat(((Number) kitchen.get("readings")).longValue()).isGreaterThanOrEqualTo(3);
			assertThat(kitchen.get("average")).isNotNull();
		});
	}

	@Test
	void alertsArePublished() {
		await().atMost(Duration.ofSeconds(30)).until(() -> this.alerts.devices.containsAll(List.of("kitchen", "garage")));
	}

	@Test
	@SuppressWarnings("unchecked")
	void healthShowsMqttUp() {
		RestClient client = RestClient.create("http://localhost:" + this.port);
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			Map<String, Object> health = client.get().uri("/actuator/health/mqtt").retrieve().body(JSON_MAP);
			assertThat(health.get("status")).isEqualTo("UP");
			assertThat((Map<String, Object>) health.get("details")).containsKeys("server", "clientId", "protocolVersion");
		});
	}

	@Test
	void unknownDeviceIsNotFound() {
		RestClient client = RestClient.create("http://localhost:" + this.port);
		int status = client.get()
			.uri("/devices/attic")
			.exchange((request, response) -> response.getStatusCode().value());
		assertThat(status).isEqualTo(404);
		assertThat(this.template).isNotNull();
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class AlertConfiguration {

		@Bean
		AlertCollector alertCollector() {
			return new AlertCollector();
		}

	}

	static class AlertCollector {

		final List<String> devices = new CopyOnWriteArrayList<>();

		@MqttListener(topics = "alerts/{device}/temperature")
		void onAlert(Alert alert, @TopicVariable("device") String device) {
			assertThat(alert.device()).isEqualTo(device);
			this.devices.add(device);
		}

	}

}
