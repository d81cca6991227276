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

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.actuate.autoconfigure.env.EnvironmentEndpointAutoConfiguration;
import org.springframework.boot.actuate.env.EnvironmentEndpoint;
import org.springframework.boot.actuate.env.EnvironmentEndpoint.EnvironmentDescriptor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MqttSanitizingConfiguration}.
 *
 * @author mqttboot
 */
class MqttSanitizingConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MqttAutoConfiguration.class, EnvironmentEndpointAutoConfiguration.class))
		.withPropertyValues("mqtt.url=" + MqttAutoConfigurationTests.UNREACHABLE_URL, "mqtt.username=device",
				"mqtt.password=s3cret", "management.endpoint.env.show-values=always",
				"management.endpoints.web.exposure.include=env");

	@Test
	void passwordIsMaskedEvenWhenValuesAreShown() {
		this.contextRunner.run((context) -> {
			EnvironmentEndpoint endpoint = context.getBean(EnvironmentEndpoint.class);
			assertThat(endpoint.environmentEntry("mqtt.password").getProperty().getValue()).isEqualTo("******");
			assertThat(endpoint.environmentEntry("mqtt.username").getProperty().getValue()).isEqualTo("device");
		});
	}

	@Test
	void everySpellingOfEveryConnectionsPasswordIsMasked() {
		this.contextRunner.withPropertyValues("mqtt.connections.cloud.password=cloud-s3cret")
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addFirst(new SystemEnvironmentPropertySource("test-environment",
						Map.of("MQTT_PASSWORD", "env-s3cret", "MQTT_CONNECTIONS_EDGE_PASSWORD", "edge-s3cret"))))
			.run((context) -> {
				EnvironmentDescriptor environment = context.getBean(EnvironmentEndpoint.class).environment(null);
				List<Object> values = environment.getPropertySources()
					.stream()
					.flatMap((source) -> source.getProperties().values().stream())
					.map((value) -> value.getValue())
					.toList();
				assertThat(values).isNotEmpty().doesNotContain("s3cret", "cloud-s3cret", "env-s3cret", "edge-s3cret");
				assertThat(values).contains("device");
			});
	}

	@ParameterizedTest
	@ValueSource(strings = { "mqtt.password", "MQTT_PASSWORD", "mqtt.connections.cloud.password",
			"MQTT_CONNECTIONS_CLOUD_PASSWORD" })
	void passwordKeys(String key) {
		assertThat(MqttSanitizingConfiguration.isPassword(key)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "mqtt.username", "mqtt.connections.cloud.username", "spring.datasource.password" })
	void otherKeys(String key) {
		assertThat(MqttSanitizingConfiguration.isPassword(key)).isFalse();
	}

}
