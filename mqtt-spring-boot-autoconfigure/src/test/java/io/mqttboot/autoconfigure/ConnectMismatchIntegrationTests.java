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

import io.mqttboot.test.EnabledIfMosquitto;
import io.mqttboot.test.MosquittoBroker;
import io.mqttboot.test.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static io.mqttboot.autoconfigure.ConnectionTestSupport.awaitFailedAttempt;
import static io.mqttboot.autoconfigure.ConnectionTestSupport.reason;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * End-to-end tests of the connect failures whose cause is a wrong setting rather than
 * the broker: a plain connection to a TLS port and a TLS connection to a plain port
 * (Mosquitto), and an MQTT 5 CONNECT that the broker refuses or drops (a broker of MQTT
 * 3.1.1 only, played by a server that answers the CONNECT). The WARN and the health
 * reason name the likely cause and the setting to change.
 *
 * @author mqttboot
 */
@ExtendWith(OutputCaptureExtension.class)
class ConnectMismatchIntegrationTests {

	@Nested
	@EnabledIfMosquitto
	@TestInstance(TestInstance.Lifecycle.PER_CLASS)
	class TlsAndPlain {

		private MosquittoBroker broker;

		private TestCertificates certificates;

		@BeforeAll
		void startBroker() {
			this.broker = MosquittoBroker.builder().tls().start();
			this.certificates = this.broker.certificates();
		}

		@AfterAll
		void stopBroker() {
			this.broker.close();
		}

		@ParameterizedTest(name = "MQTT {0}")
		@ValueSource(strings = { "5", "3.1.1" })
		void plainConnectionToATlsPortNamesTheSchemeAsTheLikelyCause(String version, CapturedOutput output) {
			String clientId = ConnectionTestSupport.clientId("it-plain2tls");
			String url = "mqtt://localhost:" + this.broker.tlsPort();
			ConnectionTestSupport.contextRunner(version)
				.withPropertyValues("mqtt.url=" + url, "mqtt.client-id=" + clientId)
				.run((context) -> {
					assertThat(context).hasNotFailed();
					String reason = reason(awaitFailedAttempt(context));
					assertThat(reason).contains("speaks TLS").contains("mqtts://localhost:" + this.broker.tlsPort());
					assertThat(reason).doesNotContain("mqtt.protocol-version");
				});
			assertThat(output.getAll()).containsPattern("WARN.*" + clientId + ".*speaks TLS.*use mqtts://");
		}

		@ParameterizedTest(name = "MQTT {0}")
		@ValueSource(strings = { "5", "3.1.1" })
		void tlsConnectionToAPlainPortNamesTheSchemeAsTheLikelyCause(String version, CapturedOutput output) {
			String clientId = ConnectionTestSupport.clientId("it-tls2plain");
			String url = "mqtts://localhost:" + this.broker.port();
			ConnectionTestSupport.contextRunner(version)
				.withPropertyValues("mqtt.url=" + url, "mqtt.client-id=" + clientId,
						"spring.ssl.bundle.pem.broker.truststore.certificate=file:" + this.certificates.caCrt(),
						"mqtt.ssl.bundle=broker")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					String reason = reason(awaitFailedAttempt(context));
					assertThat(reason).contains("plain MQTT").contains("mqtt://localhost:" + this.broker.port());
				});
			assertThat(output.getAll()).containsPattern("WARN.*" + clientId + ".*plain MQTT.*use mqtt://");
		}

		@Test
		void certificateFailureIsNotMistakenForAPlainPort() {
			ConnectionTestSupport.contextRunner("5")
				.withPropertyValues("mqtt.url=mqtts://localhost:" + this.broker.tlsPort(),
						"spring.ssl.bundle.pem.broker.truststore.certificate=file:" + this.certificates.wrongCaCrt(),
						"mqtt.ssl.bundle=broker")
				.run((context) -> assertThat(reason(awaitFailedAttempt(context))).contains("PKIX")
					.doesNotContain("plain MQTT"));
		}

	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(value = FakeBroker.Mode.class,
			names = { "REFUSE_PROTOCOL_V311", "REFUSE_PROTOCOL_V5", "CLOSE_AFTER_CONNECT" })
	void mqtt5ConnectRefusedOrDroppedNamesTheProtocolVersionToTry(FakeBroker.Mode mode, CapturedOutput output) {
		String clientId = ConnectionTestSupport.clientId("it-v5refused");
		try (FakeBroker server = FakeBroker.start(mode)) {
			ConnectionTestSupport.contextRunner("5")
				.withPropertyValues("mqtt.url=" + server.mqttUrl(), "mqtt.client-id=" + clientId)
				.run((context) -> {
					assertThat(context).hasNotFailed();
					String reason = reason(awaitFailedAttempt(context));
					assertThat(reason).contains("mqtt.protocol-version: 3.1.1").doesNotContain("speaks TLS");
					assertThat(server.connections().get(0).firstByte()).isEqualTo(0x10);
				});
		}
		String all = output.getAll();
		assertThat(all).containsPattern("WARN.*" + clientId + ".*MQTT 5.*set mqtt.protocol-version: 3.1.1");
		assertThat(all.lines().filter((line) -> line.contains("WARN") && line.contains(clientId))).hasSize(1);
	}

	@Test
	void mqtt311ConnectRefusedWithReturnCode1NamesTheProtocolVersionToTry(CapturedOutput output) {
		String clientId = ConnectionTestSupport.clientId("it-v311refused");
		try (FakeBroker server = FakeBroker.start(FakeBroker.Mode.REFUSE_PROTOCOL_V311)) {
			ConnectionTestSupport.contextRunner("3.1.1")
				.withPropertyValues("mqtt.url=" + server.mqttUrl(), "mqtt.client-id=" + clientId)
				.run((context) -> assertThat(reason(awaitFailedAttempt(context)))
					.contains("does not accept MQTT 3.1.1")
					.contains("mqtt.protocol-version: 3.1"));
		}
		assertThat(output.getAll()).containsPattern("WARN.*" + clientId + ".*set mqtt.protocol-version: 3.1 ");
	}

	@Test
	void mqtt311ConnectionClosedAfterConnectSuggestsNoProtocolVersion(CapturedOutput output) {
		try (FakeBroker server = FakeBroker.start(FakeBroker.Mode.CLOSE_AFTER_CONNECT)) {
			ConnectionTestSupport.contextRunner("3.1.1")
				.withPropertyValues("mqtt.url=" + server.mqttUrl())
				.run((context) -> assertThat(reason(awaitFailedAttempt(context))).doesNotContain("mqtt.protocol-version")
					.doesNotContain("speaks TLS"));
		}
	}

}
