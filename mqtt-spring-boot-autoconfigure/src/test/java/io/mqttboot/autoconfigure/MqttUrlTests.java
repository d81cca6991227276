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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link MqttUrl}.
 *
 * @author mqttboot
 */
class MqttUrlTests {

	@ParameterizedTest
	@CsvSource({ "mqtt://broker.emqx.io, tcp://broker.emqx.io:1883", "tcp://broker:1884, tcp://broker:1884",
			"mqtts://broker, ssl://broker:8883", "ssl://broker:9999, ssl://broker:9999",
			"ws://broker.emqx.io, ws://broker.emqx.io:8083/mqtt", "ws://broker:80/ws, ws://broker:80/ws",
			"wss://broker, wss://broker:8084/mqtt", "MQTT://Broker:1883, tcp://Broker:1883",
			"mqtt://[::1]:1883, tcp://[::1]:1883", "ws://broker/mqtt?token=x, ws://broker:8083/mqtt?token=x",
			"mqtt://broker/, tcp://broker:1883" })
	void toPahoUri(String url, String pahoUri) {
		assertThat(MqttUrl.parse("mqtt.url", url).toPahoUri()).isEqualTo(pahoUri);
	}

	@Test
	void secureSchemes() {
		assertThat(MqttUrl.parse("mqtt.url", "mqtts://broker").isSecure()).isTrue();
		assertThat(MqttUrl.parse("mqtt.url", "wss://broker").isSecure()).isTrue();
		assertThat(MqttUrl.parse("mqtt.url", "mqtt://broker").isSecure()).isFalse();
		assertThat(MqttUrl.parse("mqtt.url", "ws://broker").isSecure()).isFalse();
	}

	@Test
	void unknownSchemeNamesPropertyValueAndFix() {
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> MqttUrl.parse("mqtt.url", "http://broker:1883"))
			.satisfies((ex) -> assertThat(ex.getName()).isEqualTo("mqtt.url"))
			.satisfies((ex) -> assertThat(ex.getValue()).isEqualTo("http://broker:1883"))
			.withMessageContaining("Unknown scheme 'http'")
			.withMessageContaining("mqtt://localhost:1883");
	}

	@ParameterizedTest
	@CsvSource({ "broker:1883, no scheme", "mqtt://:1883, no valid host", "mqtt://broker:port, Malformed",
			"mqtt://broker:, empty port",
			"mqtt://broker/path, only supported for ws" })
	void malformedUrls(String url, String message) {
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> MqttUrl.parse("mqtt.url", url))
			.withMessageContaining(message);
	}

	@ParameterizedTest
	@ValueSource(strings = { "mqtt://alice:s3cr3t@broker", "http://alice:s3cr3t@broker",
			"mqtt://alice:s3cr3t@broker:port", "mqtt://alice:s3cr3t@broker/path" })
	void credentialsInTheUrlAreRefusedWithoutTheirPassword(String url) {
		assertThatExceptionOfType(MqttConfigurationException.class).isThrownBy(() -> MqttUrl.parse("mqtt.url", url))
			.withMessageContaining("mqtt.url")
			.withMessageContaining("alice:******@broker")
			.withMessageNotContaining("s3cr3t")
			.satisfies((ex) -> assertThat(ex.getAction()).contains("mqtt.username and mqtt.password")
				.doesNotContain("s3cr3t"));
	}

}
