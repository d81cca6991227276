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
import java.util.ArrayList;
import java.util.List;

import io.mqttboot.autoconfigure.ConnectionTestSupport.Inbox;
import io.mqttboot.autoconfigure.ConnectionTestSupport.InboxConfiguration;
import io.mqttboot.test.EnabledIfMosquitto;
import io.mqttboot.test.MosquittoBroker;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.health.contributor.Health;

import static io.mqttboot.autoconfigure.ConnectionTestSupport.WAIT;
import static io.mqttboot.autoconfigure.ConnectionTestSupport.awaitDown;
import static io.mqttboot.autoconfigure.ConnectionTestSupport.awaitUp;
import static io.mqttboot.autoconfigure.ConnectionTestSupport.clientManager;
import static io.mqttboot.autoconfigure.ConnectionTestSupport.health;
import static io.mqttboot.autoconfigure.ConnectionTestSupport.reason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * End-to-end tests of connecting and reconnecting against a Mosquitto broker that is
 * stopped and started, for MQTT 5 and 3.1.1: the application starts while the broker is
 * down and connects once it is up; health follows the real connection (DOWN with the
 * last disconnect reason, UP again after the reconnect); the back-off between attempts
 * grows from {@code mqtt.reconnect.min-delay} to {@code max-delay}; and
 * {@code mqtt.automatic-reconnect=false} stays down.
 *
 * @author mqttboot
 */
@EnabledIfMosquitto
class ReconnectIntegrationTests {

	private static final int TLS_HANDSHAKE = 0x16;

	@ParameterizedTest(name = "MQTT {0}")
	@ValueSource(strings = { "5", "3.1.1" })
	void startsWhileTheBrokerIsDownAndConnectsOnceItIsUp(String version) {
		String clientId = ConnectionTestSupport.clientId("it-late");
		Path log = ConnectionTestSupport.newLogFile();
		try (MosquittoBroker broker = ConnectionTestSupport.mosquittoLoggingTo(log).start()) {
			broker.stop();
			ConnectionTestSupport.contextRunner(version)
				.withPropertyValues("mqtt.url=" + broker.mqttUrl(), "mqtt.client-id=" + clientId)
				.run((context) -> {
					assertThat(context).hasNotFailed();
					Health down = awaitDown(context);
					assertThat(down.getDetails()).containsEntry("server", broker.mqttUrl())
						.containsEntry("clientId", clientId)
						.containsKey("lastDisconnectReason");
					broker.start();
					awaitUp(context);
					assertThat(ConnectionTestSupport.countLines(log, "as " + clientId + " (")).isEqualTo(1);
				});
		}
	}

	@ParameterizedTest(name = "MQTT {0}")
	@ValueSource(strings = { "5", "3.1.1" })
	void healthGoesDownWithTheReasonWhenTheBrokerStopsAndUpAfterTheReconnect(String version) {
		try (MosquittoBroker broker = MosquittoBroker.startPlain()) {
			ConnectionTestSupport.contextRunner(version)
				.withUserConfiguration(InboxConfiguration.class)
				.withPropertyValues("mqtt.url=" + broker.mqttUrl())
				.run((context) -> {
					awaitUp(context);
					broker.stop();
					Health down = awaitDown(context);
					assertThat(reason(down)).isNotBlank().isNotEqualTo("not connected yet");
					assertThat(clientManager(context).isConnected()).isFalse();
					broker.start();
					Health up = awaitUp(context);
					assertThat(up.getDetails()).doesNotContainKey("lastDisconnectReason");
					Inbox inbox = context.getBean(Inbox.class);
					await().atMost(WAIT).until(() -> inbox.reconnects() >= 1);
					// one, or two on a busy machine where the first connection to the
					// restarting broker may not last
					assertThat(inbox.reconnects()).isLessThanOrEqualTo(2);
				});
		}
	}

	@ParameterizedTest(name = "MQTT {0}")
	@ValueSource(strings = { "5", "3.1.1" })
	void backOffGrowsFromTheMinimumToTheMaximumDelay(String version) {
		try (FakeBroker server = FakeBroker.start(FakeBroker.Mode.HANG_UP)) {
			ConnectionTestSupport.contextRunner(version)
				.withPropertyValues("mqtt.url=" + server.mqttUrl(), "mqtt.reconnect.min-delay=100ms",
						"mqtt.reconnect.max-delay=600ms")
				.run((context) -> {
					await().atMost(WAIT).until(() -> gapsMillis(server).size() >= 6);
					List<Long> gaps = gapsMillis(server).subList(0, 6);
					// delays of 100, 200, 400, 600, 600, 600 ms, each moved by up to 20%
					// of jitter (the first only up, the capped ones only down), and each
					// gap also holds one failed attempt (a few 100 ms)
					assertThat(gaps.get(0)).as("first delay, gaps %s", gaps).isBetween(90L, 500L);
					assertThat(gaps.get(1)).as("second delay, gaps %s", gaps).isGreaterThan(gaps.get(0));
					assertThat(gaps.subList(3, 6)).as("capped delays, gaps %s", gaps)
						.allSatisfy((gap) -> assertThat(gap).isBetween(470L, 1_300L));
				});
		}
	}

	@ParameterizedTest(name = "MQTT {0}")
	@ValueSource(strings = { "5", "3.1.1" })
	void noReconnectWhenAutomaticReconnectIsOff(String version) {
		String clientId = ConnectionTestSupport.clientId("it-once");
		Path log = ConnectionTestSupport.newLogFile();
		try (MosquittoBroker broker = ConnectionTestSupport.mosquittoLoggingTo(log).start()) {
			ConnectionTestSupport.contextRunner(version)
				.withPropertyValues("mqtt.url=" + broker.mqttUrl(), "mqtt.client-id=" + clientId,
						"mqtt.automatic-reconnect=false")
				.run((context) -> {
					awaitUp(context);
					broker.restart();
					awaitDown(context);
					await().during(Duration.ofMillis(1_500)).atMost(WAIT).until(() -> !clientManager(context).isConnected());
					assertThat(ConnectionTestSupport.countLines(log, "as " + clientId + " (")).isEqualTo(1);
					assertThat(health(context).getDetails()).containsKey("lastDisconnectReason");
				});
		}
	}

	// The gaps between connection attempts. After the first failure (a connection
	// closed at CONNECT) the client probes once whether the port speaks TLS, to name
	// the likely cause: that connection (a TLS ClientHello, 0x16) is no attempt.
	private static List<Long> gapsMillis(FakeBroker server) {
		List<FakeBroker.Connection> connections = server.connections()
			.stream()
			.filter((connection) -> connection.firstByte() != TLS_HANDSHAKE)
			.toList();
		List<Long> gaps = new ArrayList<>();
		for (int i = 1; i < connections.size(); i++) {
			gaps.add((connections.get(i).acceptedNanos() - connections.get(i - 1).acceptedNanos()) / 1_000_000);
		}
		return gaps;
	}

}
