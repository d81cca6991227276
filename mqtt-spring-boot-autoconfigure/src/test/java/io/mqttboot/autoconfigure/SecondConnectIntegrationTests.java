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

import io.mqttboot.test.HiveMqBroker;
import io.mqttboot.test.TcpProxy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

import static io.mqttboot.autoconfigure.ConnectionTestSupport.WAIT;
import static io.mqttboot.autoconfigure.ConnectionTestSupport.awaitUp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client never sends a second CONNECT on a connection, however often the broker goes
 * away while it connects: brokers close a connection that carries two CONNECTs, and
 * what is published on it in the meantime is lost. Each round cuts the connection and
 * lets the client fail several attempts against a broker that accepts the TCP
 * connection and closes it a moment later (as a broker that shuts down or starts does),
 * then lets it connect again. Paho 1.2.5 left the connect thread of such an attempt
 * waiting for its callback thread, and it sent its CONNECT on the next connection
 * (see {@code PahoConnectThread}): this failed within two rounds.
 *
 * @author mqttboot
 */
class SecondConnectIntegrationTests {

	private static final int ROUNDS = 6;

	@ParameterizedTest(name = "MQTT {0}")
	@ValueSource(strings = { "5", "3.1.1" })
	void neverTwoConnectsOnOneConnectionAgainstHiveMq(String version) {
		try (TcpProxy proxy = TcpProxy.to(HiveMqBroker.shared().port())) {
			runner(version, proxy).run((context) -> {
				awaitUp(context);
				for (int round = 0; round < ROUNDS; round++) {
					proxy.setRefusing(true, Duration.ofMillis(300));
					proxy.cut();
					awaitFailedAttempts(proxy, 3);
					proxy.setRefusing(false);
					awaitConnected(context);
					assertOneConnectPerConnection(proxy, round);
				}
			});
		}
	}

	private static ApplicationContextRunner runner(String version, TcpProxy proxy) {
		return ConnectionTestSupport.contextRunner(version)
			.withPropertyValues("mqtt.url=" + proxy.mqttUrl(),
					"mqtt.client-id=" + ConnectionTestSupport.clientId("it-connect2"), "mqtt.reconnect.min-delay=10ms",
					"mqtt.reconnect.max-delay=50ms", "mqtt.connect-timeout=1s");
	}

	// Not health UP: connections lost again and again soon after they were accepted make
	// the starter suspect a client-id takeover, and health stays DOWN while it does
	private static void awaitConnected(ApplicationContext context) {
		await("connected again").atMost(WAIT).until(() -> ConnectionTestSupport.clientManager(context).isConnected());
	}

	private static void awaitFailedAttempts(TcpProxy proxy, int attempts) {
		int before = proxy.accepted();
		await(attempts + " attempts while the broker is away").atMost(WAIT)
			.until(() -> proxy.accepted() >= before + attempts);
	}

	// A stale CONNECT followed the new one within a few hundred milliseconds
	private static void assertOneConnectPerConnection(TcpProxy proxy, int round) {
		await("one CONNECT per connection for 300 ms, round " + round).during(Duration.ofMillis(300))
			.atMost(Duration.ofSeconds(1))
			.until(() -> proxy.mostConnectsOnOneLink() <= 1);
		assertThat(proxy.mostConnectsOnOneLink()).as("CONNECT packets on one connection, round " + round)
			.isEqualTo(1);
	}

}
