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

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import io.mqttboot.test.EnabledIfMosquitto;
import io.mqttboot.test.MosquittoBroker;
import io.mqttboot.test.MqttTestClient;
import io.mqttboot.test.TcpProxy;
import io.mqttboot.test.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

import static io.mqttboot.autoconfigure.ConnectionTestSupport.WAIT;
import static io.mqttboot.autoconfigure.ConnectionTestSupport.awaitFailedAttempt;
import static io.mqttboot.autoconfigure.ConnectionTestSupport.awaitUp;
import static io.mqttboot.autoconfigure.ConnectionTestSupport.clientManager;
import static io.mqttboot.autoconfigure.ConnectionTestSupport.reason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * End-to-end tests of the transports and of TLS against Mosquitto, for MQTT 5 and 3.1.1:
 * {@code mqtts://} with one-way TLS from a PEM or a PKCS#12 SSL bundle, hostname
 * verification, a wrong CA; mutual TLS with PEM or PKCS#12 key material, and without a
 * client certificate; {@code ws://} and {@code wss://} with the default path
 * {@code /mqtt} (R2, R4, R5, R6, R17, R18). Each connection is shown to work by a
 * message that the application publishes and a plain TCP subscriber of the same broker
 * receives.
 *
 * @author mqttboot
 */
@EnabledIfMosquitto
class MosquittoTransportIntegrationTests {

	private static final Duration QUIET = Duration.ofMillis(500);

	private static final TestCertificates certificates = TestCertificates.shared();

	private static final Path log = ConnectionTestSupport.newLogFile();

	private static MosquittoBroker broker;

	private static MosquittoBroker mutualTlsBroker;

	@BeforeAll
	static void startBrokers() {
		broker = ConnectionTestSupport.mosquittoLoggingTo(log).tls().webSocket().secureWebSocket().start();
		mutualTlsBroker = MosquittoBroker.builder().mutualTls().start();
	}

	@AfterAll
	static void stopBrokers() {
		broker.close();
		mutualTlsBroker.close();
	}

	private ApplicationContextRunner contextRunner(String version) {
		return ConnectionTestSupport.contextRunner(version);
	}

	private static String pemTruststore(Path caCertificate) {
		return "spring.ssl.bundle.pem.broker.truststore.certificate=file:" + caCertificate;
	}

	private static String[] pkcs12Truststore() {
		return new String[] { "spring.ssl.bundle.jks.broker.truststore.location=file:" + certificates.truststore(),
				"spring.ssl.bundle.jks.broker.truststore.type=PKCS12",
				"spring.ssl.bundle.jks.broker.truststore.password=" + TestCertificates.PASSWORD };
	}

	@ParameterizedTest(name = "MQTT {0}")
	@ValueSource(strings = { "5", "3.1.1" })
	void mqttsWithPemTrustMaterialVerifiesTheBrokerAndEncryptsTheTraffic(String version) {
		try (TcpProxy proxy = TcpProxy.to(broker.tlsPort())) {
			String url = "mqtts://localhost:" + proxy.port();
			contextRunner(version)
				.withPropertyValues("mqtt.url=" + url, pemTruststore(certificates.caCrt()), "mqtt.ssl.bundle=broker",
						"mqtt.username=tls-user")
				.run((context) -> {
					assertThat(awaitUp(context).getDetails()).containsEntry("server", "mqtts://localhost:" + proxy.port());
					assertRoundTrip(context, broker, "over-tls " + version);
					byte[] wire = proxy.bytesFromClient();
					// a TLS handshake record, and neither the CONNECT (with the username, R8)
					// nor the payload in clear
					assertThat(wire[0]).isEqualTo((byte) 0x16);
					assertThat(new String(wire, StandardCharsets.ISO_8859_1)).doesNotContain("over-tls")
						.doesNotContain("MQTT")
						.doesNotContain("tls-user");
				});
		}
	}

	@ParameterizedTest(name = "MQTT {0}")
	@ValueSource(strings = { "5", "3.1.1" })
	void mqttsWithPkcs12Truststore(String version) {
		contextRunner(version)
			.withPropertyValues("mqtt.url=" + broker.mqttsUrl(), "mqtt.ssl.bundle=broker")
			.withPropertyValues(pkcs12Truststore())
			.run((context) -> {
				awaitUp(context);
				assertRoundTrip(context, broker, "over-tls-pkcs12 " + version);
			});
	}

	@ParameterizedTest(name = "MQTT {0}")
	@ValueSource(strings = { "5", "3.1.1" })
	void brokerCertificateFromAnotherCaIsRefused(String version) {
		String clientId = ConnectionTestSupport.clientId("it-wrongca");
		contextRunner(version)
			.withPropertyValues("mqtt.url=" + broker.mqttsUrl(), "mqtt.client-id=" + clientId,
					pemTruststore(certificates.wrongCaCrt()), "mqtt.ssl.bundle=broker")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(reason(awaitFailedAttempt(context))).contains("PKIX path building failed");
				assertThat(ConnectionTestSupport.read(log)).doesNotContain("as " + clientId + " (");
			});
	}

	@ParameterizedTest(name = "MQTT {0}")
	@ValueSource(strings = { "5", "3.1.1" })
	void hostnameVerificationRefusesAHostTheCertificateDoesNotName(String version) {
		// 127.0.0.2 reaches the broker through the proxy, but the certificate names only
		// localhost, 127.0.0.1 and ::1
		try (TcpProxy proxy = TcpProxy.start("127.0.0.2", "127.0.0.1", broker.tlsPort())) {
			String url = "mqtts://127.0.0.2:" + proxy.port();
			contextRunner(version)
				.withPropertyValues("mqtt.url=" + url, pemTruststore(certificates.caCrt()), "mqtt.ssl.bundle=broker")
				.run((context) -> {
					assertThat(reason(awaitFailedAttempt(context))).contains("127.0.0.2");
				});
			contextRunner(version)
				.withPropertyValues("mqtt.url=" + url, pemTruststore(certificates.caCrt()), "mqtt.ssl.bundle=broker",
						"mqtt.ssl.verify-hostname=false")
				.run((context) -> {
					awaitUp(context);
					assertRoundTrip(context, broker, "no-hostname-check " + version);
				});
		}
	}

	@ParameterizedTest(name = "MQTT {0}")
	@ValueSource(strings = { "5", "3.1.1" })
	void mutualTlsWithPemKeyMaterial(String version) {
		contextRunner(version)
			.withPropertyValues("mqtt.url=" + mutualTlsBroker.mqttsUrl(), pemTruststore(certificates.caCrt()),
					"spring.ssl.bundle.pem.broker.keystore.certificate=file:" + certificates.clientCrt(),
					"spring.ssl.bundle.pem.broker.keystore.private-key=file:" + certificates.clientKey(),
					"mqtt.ssl.bundle=broker")
			.run((context) -> {
				awaitUp(context);
				assertRoundTrip(context, mutualTlsBroker, "mutual-tls-pem " + version);
			});
	}

	@ParameterizedTest(name = "MQTT {0}")
	@ValueSource(strings = { "5", "3.1.1" })
	void mutualTlsWithPkcs12KeyStore(String version) {
		contextRunner(version)
			.withPropertyValues("mqtt.url=" + mutualTlsBroker.mqttsUrl(),
					"spring.ssl.bundle.jks.broker.keystore.location=file:" + certificates.clientP12(),
					"spring.ssl.bundle.jks.broker.keystore.type=PKCS12",
					"spring.ssl.bundle.jks.broker.keystore.password=" + TestCertificates.PASSWORD,
					"mqtt.ssl.bundle=broker")
			.withPropertyValues(pkcs12Truststore())
			.run((context) -> {
				awaitUp(context);
				assertRoundTrip(context, mutualTlsBroker, "mutual-tls-pkcs12 " + version);
			});
	}

	@ParameterizedTest(name = "MQTT {0}")
	@ValueSource(strings = { "5", "3.1.1" })
	void mutualTlsWithoutAClientCertificateIsRefused(String version) {
		contextRunner(version)
			.withPropertyValues("mqtt.url=" + mutualTlsBroker.mqttsUrl(), pemTruststore(certificates.caCrt()),
					"mqtt.ssl.bundle=broker")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				Health health = awaitFailedAttempt(context);
				assertThat(reason(health)).isNotBlank();
				await().during(QUIET).atMost(WAIT).until(() -> !clientManager(context).isConnected());
			});
	}

	@ParameterizedTest(name = "MQTT {0}")
	@ValueSource(strings = { "5", "3.1.1" })
	void webSocketWithTheDefaultPath(String version) {
		contextRunner(version).withPropertyValues("mqtt.url=ws://localhost:" + broker.wsPort()).run((context) -> {
			assertThat(awaitUp(context).getDetails()).containsEntry("server",
					"ws://localhost:" + broker.wsPort() + "/mqtt");
			assertRoundTrip(context, broker, "over-ws " + version);
		});
	}

	@ParameterizedTest(name = "MQTT {0}")
	@ValueSource(strings = { "5", "3.1.1" })
	void secureWebSocketWithTheDefaultPath(String version) {
		contextRunner(version)
			.withPropertyValues("mqtt.url=wss://localhost:" + broker.wssPort(), pemTruststore(certificates.caCrt()),
					"mqtt.ssl.bundle=broker")
			.run((context) -> {
				assertThat(awaitUp(context).getDetails()).containsEntry("server",
						"wss://localhost:" + broker.wssPort() + "/mqtt");
				assertRoundTrip(context, broker, "over-wss " + version);
			});
	}

	private static void assertRoundTrip(ApplicationContext context, MosquittoBroker target, String payload)
			throws Exception {
		String topic = "it/transport/" + ConnectionTestSupport.clientId("t");
		try (MqttTestClient observer = MqttTestClient.connect(target.tcpUrl())) {
			observer.subscribe(topic, 1);
			ConnectionTestSupport.publish(context, topic, payload);
			assertThat(observer.awaitMessage(topic, WAIT).payloadAsString()).isEqualTo(payload);
		}
	}

}
