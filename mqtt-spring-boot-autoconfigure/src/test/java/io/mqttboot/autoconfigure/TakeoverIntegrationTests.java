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

import java.time.Duration;

import io.mqttboot.test.EnabledIfMosquitto;
import io.mqttboot.test.HiveMqBroker;
import io.mqttboot.test.MosquittoBroker;
import io.mqttboot.test.TcpProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static io.mqttboot.autoconfigure.ConnectionTestSupport.WAIT;
import static io.mqttboot.autoconfigure.ConnectionTestSupport.health;
import static io.mqttboot.autoconfigure.ConnectionTestSupport.reason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * End-to-end tests of a client-id takeover loop: two applications with one client id,
 * against Mosquitto and embedded HiveMQ, for MQTT 5 and 3.1.1. Each broker drops the
 * older connection when the other connects (MQTT 5 clients hear reason code 0x8E, 3.1.1
 * clients only see the socket closed). Each application says so once at WARN level,
 * naming the client id and {@code mqtt.client-id}; health is DOWN with that reason while
 * the takeover lasts, also in the moments a connection is up; and
 * the back-off keeps growing, so that after the first seconds the two reconnect at
 * most every {@code mqtt.reconnect.max-delay}, not as fast as they can.
 *
 * @author mqttboot
 */
@ExtendWith(OutputCaptureExtension.class)
class TakeoverIntegrationTests {

	private static final Duration MAX_DELAY = Duration.ofSeconds(3);

	private static final Duration WINDOW = Duration.ofSeconds(6);

	@EnabledIfMosquitto
	@ParameterizedTest(name = "MQTT {0}")
	@ValueSource(strings = { "5", "3.1.1" })
	void takeoverLoopAgainstMosquitto(String version, CapturedOutput output) {
		try (MosquittoBroker broker = MosquittoBroker.startPlain(); TcpProxy proxy = TcpProxy.to(broker.port())) {
			assertTakeoverIsReportedAndSlowedDown(proxy, version, output);
		}
	}

	@ParameterizedTest(name = "MQTT {0}")
	@ValueSource(strings = { "5", "3.1.1" })
	void takeoverLoopAgainstHiveMq(String version, CapturedOutput output) {
		try (TcpProxy proxy = TcpProxy.to(HiveMqBroker.shared().port())) {
			assertTakeoverIsReportedAndSlowedDown(proxy, version, output);
		}
	}

	private void assertTakeoverIsReportedAndSlowedDown(TcpProxy proxy, String version, CapturedOutput output) {
		String clientId = ConnectionTestSupport.clientId("it-twin");
		ApplicationContextRunner runner = ConnectionTestSupport.contextRunner(version)
			.withPropertyValues("mqtt.url=" + proxy.mqttUrl(), "mqtt.client-id=" + clientId,
					"mqtt.reconnect.max-delay=" + MAX_DELAY.toMillis() + "ms");
		long started = System.nanoTime();
		runner.run((first) -> runner.run((second) -> {
			await("the takeover WARN of both").atMost(WAIT)
				.until(() -> takeoverWarnings(output, clientId) == 2);
			await("a takeover reason in health").atMost(WAIT).until(() -> isDownTakenOver(health(first))
					|| isDownTakenOver(health(second)));
			await("the first seconds").atMost(WAIT)
				.until(() -> System.nanoTime() - started > Duration.ofSeconds(5).toNanos());
			int before = proxy.packetsFromClient(TcpProxy.CONNECT);
			// each reconnects at most about every max-delay (3s, less 20% of jitter)
			// while the window lasts; without a growing back-off they would reconnect
			// several times a second; health stays DOWN with the takeover reason, also
			// in the moments either is connected
			await("at most a few CONNECTs in " + WINDOW + ", health DOWN throughout").during(WINDOW)
				.atMost(WINDOW.plusSeconds(2))
				.until(() -> proxy.packetsFromClient(TcpProxy.CONNECT) - before <= 10
						&& isDownTakenOver(health(first)) && isDownTakenOver(health(second)));
		}));
		assertThat(takeoverWarnings(output, clientId)).as("one takeover WARN per application").isEqualTo(2);
	}

	@Test
	void brokerThatEndsEachConnectionWithAReasonCodeIsNoTakeover(CapturedOutput output) {
		try (FakeBroker broker = FakeBroker.start(FakeBroker.Mode.ACCEPT_THEN_PROTOCOL_ERROR)) {
			ConnectionTestSupport.contextRunner("5")
				.withPropertyValues("mqtt.url=" + broker.mqttUrl(), "mqtt.reconnect.min-delay=50ms",
						"mqtt.reconnect.max-delay=100ms")
				.run((context) -> {
					await("ten connections ended by the broker").atMost(WAIT)
						.until(() -> broker.connections().size() >= 10);
					await("the broker's reason in health").atMost(WAIT)
						.until(() -> reason(health(context)).contains("reason code 0x82"));
					assertThat(reason(health(context))).doesNotContain("taken over");
				});
		}
		assertThat(output.getAll()).doesNotContain("taken over");
	}

	private static boolean isDownTakenOver(Health health) {
		return health.getStatus().equals(Status.DOWN) && reason(health).contains("taken over")
				&& reason(health).contains("same client id");
	}

	private static long takeoverWarnings(CapturedOutput output, String clientId) {
		return output.getAll()
			.lines()
			.filter((line) -> line.contains("WARN") && line.contains(clientId) && line.contains("taken over")
					&& line.contains("mqtt.client-id"))
			.count();
	}

}
