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

import io.mqttboot.autoconfigure.FakeBroker.Connection;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static io.mqttboot.autoconfigure.ConnectionTestSupport.WAIT;
import static io.mqttboot.autoconfigure.ConnectionTestSupport.awaitDown;
import static io.mqttboot.autoconfigure.ConnectionTestSupport.clientManager;
import static io.mqttboot.autoconfigure.ConnectionTestSupport.reason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * End-to-end tests of the connection sequence and the connect timeout (R1, R9): against
 * a server that accepts the TCP connection and reads the CONNECT but never answers with
 * CONNACK, each attempt is closed by the client after {@code mqtt.connect-timeout} and
 * retried with the back-off, and health shows why.
 *
 * @author mqttboot
 */
@ExtendWith(OutputCaptureExtension.class)
class ConnectTimeoutIntegrationTests {

	@ParameterizedTest(name = "MQTT {0}")
	@ValueSource(strings = { "5", "3.1.1" })
	void attemptWithoutConnackIsClosedAfterTheConnectTimeoutAndRetried(String version, CapturedOutput output) {
		String clientId = ConnectionTestSupport.clientId("it-timeout");
		try (FakeBroker server = FakeBroker.start(FakeBroker.Mode.SILENT)) {
			ConnectionTestSupport.contextRunner(version)
				.withPropertyValues("mqtt.url=" + server.mqttUrl(), "mqtt.client-id=" + clientId,
						"mqtt.connect-timeout=1s")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					await().atMost(WAIT)
						.until(() -> server.connections().size() >= 2 && server.connections().get(0).isClosedByClient());
					Connection first = server.connections().get(0);
					// R1: the client opened the connection and sent CONNECT
					assertThat(first.firstByte()).isEqualTo(0x10);
					// R9: no CONNACK within the timeout, so the client closed the attempt;
					// not at once, and not much later than the timeout (with its margin)
					assertThat(first.lifetimeMillis()).isBetween(900L, 4_000L);
					assertThat(clientManager(context).isConnected()).isFalse();
					Health health = awaitDown(context);
					assertThat(reason(health)).contains("CONNACK").contains("mqtt.connect-timeout");
				});
		}
		assertThat(output.getAll()).containsPattern("WARN.*" + clientId + ".*no CONNACK within");
	}

}
