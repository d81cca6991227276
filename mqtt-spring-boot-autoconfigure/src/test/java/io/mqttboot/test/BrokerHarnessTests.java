package io.mqttboot.test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Proves the broker test harness itself against real brokers (embedded HiveMQ CE and a Mosquitto process).
 */
class BrokerHarnessTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@Test
	void hiveMqSharedBrokerRoundTripWithProperties() {
		HiveMqBroker broker = HiveMqBroker.shared();
		assertThat(HiveMqBroker.shared()).isSameAs(broker);
		try (MqttTestClient subscriber = MqttTestClient.connect(broker.tcpUrl());
				MqttTestClient publisher = MqttTestClient.connect(broker.tcpUrl())) {
			subscriber.subscribe("harness/hivemq/#", 1);
			MqttProperties properties = new MqttProperties();
			properties.setUserProperties(List.of(new UserProperty("k", "v")));
			properties.setContentType("text/plain");
			publisher.publish("harness/hivemq/a", "hello".getBytes(StandardCharsets.UTF_8), 1, false, properties);
			MqttTestClient.Received received = subscriber.awaitMessage("harness/hivemq/a", WAIT);
			assertThat(received.payloadAsString()).isEqualTo("hello");
			assertThat(received.qos()).isEqualTo(1);
			assertThat(received.properties().getContentType()).isEqualTo("text/plain");
			assertThat(received.properties().getUserProperties()).containsExactly(new UserProperty("k", "v"));
			subscriber.expectNoMessage("harness/hivemq/a", Duration.ofMillis(200));
		}
	}

	@Test
	void hiveMqWebSocketAndV3() {
		HiveMqBroker broker = HiveMqBroker.shared();
		try (MqttTestClient subscriber = MqttTestClient.connect(broker.wsUrl());
				MqttV3TestClient publisher = MqttV3TestClient.connect(broker.tcpUrl())) {
			subscriber.subscribe("harness/hivemq-ws", 2);
			publisher.publish("harness/hivemq-ws", "over-ws", 2, false);
			assertThat(subscriber.awaitMessage("harness/hivemq-ws", WAIT).payloadAsString()).isEqualTo("over-ws");
		}
	}

	@Test
	void hiveMqDefaultsAndDedicatedBrokerRestart() {
		try (HiveMqBroker broker = HiveMqBroker.start(false)) {
			try (MqttTestClient client = MqttTestClient.connect(broker.tcpUrl())) {
				assertThat(client.connackProperties().getReceiveMaximum()).isEqualTo(10);
				assertThat(client.connackProperties().getTopicAliasMaximum()).isEqualTo(5);
			}
			int port = broker.port();
			broker.restart();
			assertThat(broker.port()).isEqualTo(port);
			try (MqttTestClient again = MqttTestClient.connect(broker.tcpUrl())) {
				assertThat(again.isConnected()).isTrue();
			}
		}
	}

	@Test
	@EnabledIfMosquitto
	void mosquittoPlainRoundTripRetainedAndRestart() {
		try (MosquittoBroker broker = MosquittoBroker.builder()
			.allowZeroLengthClientId()
			.config("max_inflight_messages 5", "persistent_client_expiration 1h")
			.start()) {
			assertThat(broker.port()).isNotEqualTo(1883);
			assertThat(broker.tcpUrl()).isEqualTo("tcp://127.0.0.1:" + broker.port());
			try (MqttV3TestClient publisher = MqttV3TestClient.connect(broker.tcpUrl())) {
				publisher.publish("harness/retained", "kept", 1, true);
			}
			MqttTestClient subscriber = MqttTestClient.connect(broker.tcpUrl());
			try {
				subscriber.subscribe("harness/#", 1);
				MqttTestClient.Received retained = subscriber.awaitMessage("harness/retained", WAIT);
				assertThat(retained.retained()).isTrue();
				assertThat(retained.payloadAsString()).isEqualTo("kept");
				assertThat(subscriber.connackProperties().getReceiveMaximum()).isEqualTo(5);
				int port = broker.port();
				broker.restart();
				assertThat(broker.port()).isEqualTo(port);
				await().atMost(WAIT).until(() -> !subscriber.isConnected());
			}
			finally {
				subscriber.close();
			}
			try (MqttTestClient again = MqttTestClient.connect(broker.tcpUrl())) {
				assertThat(again.isConnected()).isTrue();
			}
		}
	}

	@Test
	@EnabledIfMosquitto
	void mosquittoPasswordFile() {
		try (MosquittoBroker broker = MosquittoBroker.builder().user("alice", "s3cret").user("bob", "pw").start()) {
			try (MqttTestClient client = MqttTestClient.connect(broker.tcpUrl(), "alice", "s3cret")) {
				assertThat(client.isConnected()).isTrue();
			}
			try (MqttV3TestClient client = MqttV3TestClient.connect(broker.tcpUrl(), "bob", "pw")) {
				assertThat(client.isConnected()).isTrue();
			}
			assertThatIllegalStateException()
				.isThrownBy(() -> MqttTestClient.connect(broker.tcpUrl(), "alice", "wrong"))
				.havingCause()
				.isInstanceOfSatisfying(MqttException.class,
						(ex) -> assertThat(ex.getReasonCode()).isEqualTo(135 /* not authorized (Mosquitto's choice) */));
			assertThatIllegalStateException().isThrownBy(() -> MqttTestClient.connect(broker.tcpUrl()));
		}
	}

	@Test
	void passwordHashMatchesMosquittoPasswdFormat() {
		// alice:s3cret as written by mosquitto_passwd 2.0.11
		String line = "$7$101$w+JkBC/K/e21frHQ$4AZuOuKn5Nw1EJnvE92ygmmYQ7sHjb97BUTkNAiFO3xZg5wvO/h0IK31/z8PxZbPbF0ZS+HzcktG8oDh+zPLTA==";
		String[] parts = line.split("\\$");
		byte[] expected = Base64.getDecoder().decode(parts[4]);
		assertThat(MosquittoBroker.pbkdf2("s3cret", Base64.getDecoder().decode(parts[3]), 101)).isEqualTo(expected);
		assertThat(MosquittoBroker.hashPassword("x")).matches("\\$7\\$101\\$[A-Za-z0-9+/=]{16}\\$[A-Za-z0-9+/=]{88}");
	}

	@Test
	@EnabledIfMosquitto
	void mosquittoOneWayTls() {
		try (MosquittoBroker broker = MosquittoBroker.builder().tls().start()) {
			TestCertificates certificates = broker.certificates();
			assertThat(broker.mqttsUrl()).isEqualTo("mqtts://localhost:" + broker.tlsPort());
			try (MqttTestClient subscriber = MqttTestClient.connect(broker.sslUrl(),
					certificates.trustingSocketFactory());
					MqttTestClient publisher = MqttTestClient.connect("ssl://127.0.0.1:" + broker.tlsPort(),
							certificates.trustingSocketFactory())) {
				subscriber.subscribe("harness/tls", 1);
				publisher.publish("harness/tls", "secure", 1, false);
				assertThat(subscriber.awaitMessage("harness/tls", WAIT).payloadAsString()).isEqualTo("secure");
			}
			assertThatIllegalStateException()
				.isThrownBy(() -> MqttTestClient.connect(broker.sslUrl(), certificates.wrongCaSocketFactory()));
		}
	}

	@Test
	@EnabledIfMosquitto
	void mosquittoMutualTls() {
		try (MosquittoBroker broker = MosquittoBroker.builder().mutualTls().start()) {
			TestCertificates certificates = broker.certificates();
			assertThatIllegalStateException()
				.isThrownBy(() -> MqttTestClient.connect(broker.sslUrl(), certificates.trustingSocketFactory()));
			try (MqttTestClient client = MqttTestClient.connect(broker.sslUrl(),
					certificates.mutualTlsSocketFactory())) {
				client.subscribe("harness/mtls", 1);
				client.publish("harness/mtls", "mutual", 1, false);
				assertThat(client.awaitMessage("harness/mtls", WAIT).payloadAsString()).isEqualTo("mutual");
			}
		}
	}

	@Test
	@EnabledIfMosquitto
	void mosquittoWebSockets() {
		try (MosquittoBroker broker = MosquittoBroker.builder().webSocket().secureWebSocket().start()) {
			TestCertificates certificates = broker.certificates();
			try (MqttTestClient ws = MqttTestClient.connect(broker.wsUrl());
					MqttTestClient wsLocalhost = MqttTestClient.connect("ws://localhost:" + broker.wsPort() + "/mqtt");
					MqttTestClient wss = MqttTestClient.connect(broker.wssUrl(), certificates.trustingSocketFactory());
					MqttV3TestClient tcp = MqttV3TestClient.connect(broker.tcpUrl())) {
				ws.subscribe("harness/ws", 1);
				wss.subscribe("harness/ws", 1);
				wsLocalhost.publish("harness/ws", "from-ws", 1, false);
				tcp.publish("harness/ws", "from-tcp", 1, false);
				assertThat(ws.awaitMessage("harness/ws", WAIT).payloadAsString()).isEqualTo("from-ws");
				assertThat(ws.awaitMessage("harness/ws", WAIT).payloadAsString()).isEqualTo("from-tcp");
				assertThat(wss.awaitMessage("harness/ws", WAIT).payloadAsString()).isEqualTo("from-ws");
				assertThat(wss.awaitMessage("harness/ws", WAIT).payloadAsString()).isEqualTo("from-tcp");
			}
		}
	}

}
