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

import java.nio.file.Path;
import java.time.Duration;

import io.mqttboot.test.EnabledIfMosquitto;
import io.mqttboot.test.MosquittoBroker;
import io.mqttboot.test.MqttTestClient;
import io.mqttboot.test.TcpProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.health.contributor.Health;

import static io.mqttboot.autoconfigure.ConnectionTestSupport.WAIT;
import static io.mqttboot.autoconfigure.ConnectionTestSupport.awaitDown;
import static io.mqttboot.autoconfigure.ConnectionTestSupport.awaitUp;
import static io.mqttboot.autoconfigure.ConnectionTestSupport.clientManager;
import static io.mqttboot.autoconfigure.ConnectionTestSupport.reason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * End-to-end tests of Keep Alive (R10) against a Mosquitto broker, for MQTT 5 and
 * 3.1.1, through a {@link TcpProxy} that counts the packets on the wire: an idle
 * connection sends PINGREQ at the configured interval, the broker answers and keeps it;
 * {@code 0} sends none; and when the path goes silent the broker drops the client after
 * 1.5 times the keep-alive (its will is published although no socket was closed) while
 * the client detects the silent broker and reports it in health.
 * <p>
 * Mosquitto, because its debug log shows each PINGREQ and PINGRESP and the keep-alive
 * timeout. A keep-alive of 2 s: brokers count in whole seconds (1.5 x 1 s becomes 1 s;
 * HiveMQ CE 2025.5 even drops a client that pings every second after about 1.1 s, reason
 * 0x8D), so 1 s cannot show the 1.5 factor.
 *
 * @author mqttboot
 */
@EnabledIfMosquitto
class KeepAliveIntegrationTests {

	private static final Path log = ConnectionTestSupport.newLogFile();

	private static MosquittoBroker broker;

	@BeforeAll
	static void startBroker() {
		broker = ConnectionTestSupport.mosquittoLoggingTo(log).start();
	}

	@AfterAll
	static void stopBroker() {
		broker.close();
	}

	@ParameterizedTest(name = "MQTT {0}")
	@ValueSource(strings = { "5", "3.1.1" })
	void idleConnectionSendsPingsAtTheKeepAliveIntervalAndStaysUp(String version) {
		String clientId = ConnectionTestSupport.clientId("it-ping");
		try (TcpProxy proxy = TcpProxy.to(broker.port())) {
			ConnectionTestSupport.contextRunner(version)
				.withPropertyValues("mqtt.url=" + proxy.mqttUrl(), "mqtt.client-id=" + clientId, "mqtt.keep-alive=2s")
				.run((context) -> {
					awaitUp(context);
					long start = System.nanoTime();
					await().atMost(WAIT)
						.until(() -> proxy.packetsFromClient(TcpProxy.PINGREQ) >= 2
								&& proxy.packetsFromServer(TcpProxy.PINGRESP) >= 2);
					long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
					// two pings at a 2 s interval: idle for longer than 1.5 x keep-alive
					assertThat(elapsedMillis).isBetween(3_000L, 6_000L);
					assertThat(proxy.connectPackets()).singleElement()
						.satisfies((connect) -> assertThat(connect.keepAlive()).isEqualTo(2));
					assertThat(proxy.accepted()).isEqualTo(1);
					assertThat(clientManager(context).isConnected()).isTrue();
					assertThat(ConnectionTestSupport.countLines(log, "Received PINGREQ from " + clientId))
						.isGreaterThanOrEqualTo(2);
					assertThat(ConnectionTestSupport.read(log)).contains("as " + clientId + " (")
						.contains("Sending PINGRESP to " + clientId)
						.doesNotContain("Client " + clientId + " has exceeded timeout");
				});
		}
	}

	@ParameterizedTest(name = "MQTT {0}")
	@ValueSource(strings = { "5", "3.1.1" })
	void keepAliveZeroSendsNoPings(String version) {
		try (TcpProxy proxy = TcpProxy.to(broker.port())) {
			ConnectionTestSupport.contextRunner(version)
				.withPropertyValues("mqtt.url=" + proxy.mqttUrl(), "mqtt.keep-alive=0")
				.run((context) -> {
					awaitUp(context);
					// longer than the 2 s within which a keep-alive of 2 s pings
					await().during(Duration.ofMillis(2_500))
						.atMost(WAIT)
						.until(() -> proxy.packetsFromClient(TcpProxy.PINGREQ) == 0
								&& clientManager(context).isConnected());
					assertThat(proxy.connectPackets()).singleElement()
						.satisfies((connect) -> assertThat(connect.keepAlive()).isZero());
				});
		}
	}

	@ParameterizedTest(name = "MQTT {0}")
	@ValueSource(strings = { "5", "3.1.1" })
	void silentPathIsDetectedByTheBrokerAndByTheClient(String version) {
		String clientId = ConnectionTestSupport.clientId("it-silent");
		String willTopic = "it/keep-alive/" + clientId;
		try (TcpProxy proxy = TcpProxy.to(broker.port());
				MqttTestClient observer = MqttTestClient.connect(broker.tcpUrl())) {
			observer.subscribe(willTopic, 1);
			ConnectionTestSupport.contextRunner(version)
				.withPropertyValues("mqtt.url=" + proxy.mqttUrl(), "mqtt.client-id=" + clientId, "mqtt.keep-alive=2s",
						"mqtt.will.topic=" + willTopic, "mqtt.will.payload=gone", "mqtt.automatic-reconnect=false")
				.run((context) -> {
					awaitUp(context);
					PahoRecords paho = PahoRecords.capture();
					proxy.freeze();
					// the broker: no packet for 1.5 x keep-alive (3 s), so it drops the client
					// and publishes its will (the proxy keeps the broker's socket open).
					// Mosquitto counts in whole seconds and checks every few seconds, so only
					// the lower bound is exact (and 1.5 x 1 s would be cut to 1 s)
					assertThat(observer.awaitMessage(willTopic, WAIT).payloadAsString()).isEqualTo("gone");
					assertThat((System.nanoTime() - proxy.lastForwardedFromClientNanos()) / 1_000_000)
						.isGreaterThanOrEqualTo(2_900L);
					assertThat(ConnectionTestSupport.read(log))
						.contains("Client " + clientId + " has exceeded timeout, disconnecting.");
					// the client: no PINGRESP, so it gives the connection up
					Health health = awaitDown(context);
					assertThat(reason(health)).contains("Timed out waiting for a response from the server");
					assertThat(proxy.accepted()).isEqualTo(1);
					// Paho's own SEVERE "Timed out as no activity" repeats the starter's
					// line: lowered to FINE
					assertThat(paho.stop()).as("Paho's records of WARNING and above").isEmpty();
				});
		}
	}

	/**
	 * Records what Paho's {@code ClientState} loggers (MQTT 5 and 3.x) publish at WARNING
	 * and above.
	 */
	static final class PahoRecords extends java.util.logging.Handler {

		private static final String[] LOGGERS = { "org.eclipse.paho.mqttv5.client.internal.ClientState",
				"org.eclipse.paho.client.mqttv3.internal.ClientState" };

		private final java.util.List<String> records = new java.util.concurrent.CopyOnWriteArrayList<>();

		static PahoRecords capture() {
			PahoRecords handler = new PahoRecords();
			for (String name : LOGGERS) {
				java.util.logging.Logger.getLogger(name).addHandler(handler);
			}
			return handler;
		}

		java.util.List<String> stop() {
			for (String name : LOGGERS) {
				java.util.logging.Logger.getLogger(name).removeHandler(this);
			}
			return this.records;
		}

		@Override
		public void publish(java.util.logging.LogRecord record) {
			if (record.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
				this.records.add(record.getLevel() + " " + record.getMessage());
			}
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
		}

	}

}
