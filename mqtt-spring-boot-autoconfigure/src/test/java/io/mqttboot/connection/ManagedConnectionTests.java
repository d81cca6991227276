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
package io.mqttboot.connection;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ManagedConnection}.
 *
 * @author mqttboot
 */
class ManagedConnectionTests {

	@ParameterizedTest
	@CsvSource({ "tcp://broker:1883, mqtt://broker:1883", "ssl://broker:8883, mqtts://broker:8883",
			"ws://broker:8083/mqtt, ws://broker:8083/mqtt", "wss://broker:8084/mqtt, wss://broker:8084/mqtt",
			"mqtt://broker:1883, mqtt://broker:1883" })
	void serverUrisAreShownWithTheSchemesUsersWrite(String pahoUri, String shown) {
		assertThat(ManagedConnection.displayUri(pahoUri)).isEqualTo(shown);
	}

	@ParameterizedTest
	@CsvSource({ "tcp://alice:s3cr3t@broker:1883, mqtt://alice:******@broker:1883",
			"ws://alice:s3cr3t@broker:8083/mqtt, ws://alice:******@broker:8083/mqtt",
			"ssl://alice@broker:8883, mqtts://alice@broker:8883" })
	void passwordsInServerUrisAreNeverShown(String pahoUri, String shown) {
		assertThat(ManagedConnection.displayUri(pahoUri)).isEqualTo(shown);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "Invalid URI tcp://alice:s3cr3t@broker:1883 | Invalid URI tcp://alice:******@broker:1883",
			"tcp://a:s3cr3t@b:1,ws://c:s3cr3t@d:2/mqtt | tcp://a:******@b:1,ws://c:******@d:2/mqtt",
			"Connection lost | Connection lost" })
	void passwordsInFailureTextsAreNeverShown(String message, String shown) {
		assertThat(MqttFailures.describe(new IllegalArgumentException(message), (Integer) null)).isEqualTo(shown);
	}

}
