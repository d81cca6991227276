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
import java.util.HashSet;
import java.util.Set;

import io.mqttboot.autoconfigure.ConnectionTestSupport.Inbox;
import io.mqttboot.autoconfigure.ConnectionTestSupport.InboxConfiguration;
import io.mqttboot.test.HiveMqBroker;
import io.mqttboot.test.MqttTestClient;
import io.mqttboot.test.TcpProxy;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static io.mqttboot.autoconfigure.ConnectionTestSupport.WAIT;
import static io.mqttboot.autoconfigure.ConnectionTestSupport.awaitUp;
import static io.mqttboot.autoconfigure.ConnectionTestSupport.clientThreads;
import static io.mqttboot.autoconfigure.ConnectionTestSupport.names;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * End-to-end tests of the Last Will (R12) and of shutdown against the shared HiveMQ
 * broker, for MQTT 5 and 3.1.1: the broker publishes the will when the connection is
 * cut (a {@link TcpProxy} closes both sockets, no DISCONNECT), never on a clean shutdown
 * of the application; a retained will stays as the retained message of its topic; and
 * closing the application leaves no Paho or connect thread behind.
 *
 * @author mqttboot
 */
@ExtendWith(OutputCaptureExtension.class)
class ShutdownIntegrationTests {

	private static final Duration QUIET = Duration.ofMillis(500);

	private final HiveMqBroker broker = HiveMqBroker.shared();

	private ApplicationContextRunner contextRunner(String version, String url, String clientId, String willTopic,
			String... more) {
		return ConnectionTestSupport.contextRunner(version)
			.withUserConfiguration(InboxConfiguration.class)
			.withPropertyValues("mqtt.url=" + url, "mqtt.client-id=" + clientId, "mqtt.will.topic=" + willTopic,
					"mqtt.will.payload=" + clientId + " is offline", "mqtt.will.qos=1")
			.withPropertyValues(more);
	}

	@ParameterizedTest(name = "MQTT {0}")
	@ValueSource(strings = { "5", "3.1.1" })
	void noWillOnCleanShutdown(String version) {
		String clientId = ConnectionTestSupport.clientId("it-bye");
		String willTopic = "it/will/" + clientId;
		try (TcpProxy proxy = TcpProxy.to(this.broker.port());
				MqttTestClient observer = MqttTestClient.connect(this.broker.tcpUrl())) {
			observer.subscribe(willTopic, 1);
			contextRunner(version, proxy.mqttUrl(), clientId, willTopic).run((context) -> {
				awaitUp(context);
				assertThat(proxy.connectPackets()).singleElement()
					.satisfies((connect) -> assertThat(connect.will()).isNotNull());
			});
			// the application sent DISCONNECT (normal, reason 0): the broker discards the will
			// (the proxy counts it on its own thread)
			await().atMost(WAIT).until(() -> proxy.packetsFromClient(TcpProxy.DISCONNECT) == 1);
			observer.expectNoMessage(willTopic, QUIET);
		}
	}

	@ParameterizedTest(name = "MQTT {0}")
	@ValueSource(strings = { "5", "3.1.1" })
	void willIsPublishedWhenTheConnectionIsCutAndTheApplicationReconnects(String version, CapturedOutput output) {
		String clientId = ConnectionTestSupport.clientId("it-will");
		String willTopic = "it/will/" + clientId;
		try (TcpProxy proxy = TcpProxy.to(this.broker.port());
				MqttTestClient observer = MqttTestClient.connect(this.broker.tcpUrl())) {
			observer.subscribe(willTopic, 1);
			contextRunner(version, proxy.mqttUrl(), clientId, willTopic).run((context) -> {
				awaitUp(context);
				observer.expectNoMessage(willTopic, Duration.ofMillis(200));
				proxy.cut();
				MqttTestClient.Received will = observer.awaitMessage(willTopic, WAIT);
				assertThat(will.payloadAsString()).isEqualTo(clientId + " is offline");
				assertThat(will.qos()).isEqualTo(1);
				assertThat(will.retained()).isFalse();
				Inbox inbox = context.getBean(Inbox.class);
				await().atMost(WAIT).until(() -> inbox.reconnects() == 1);
				awaitUp(context);
				assertThat(proxy.accepted()).isEqualTo(2);
			});
			observer.expectNoMessage(willTopic, QUIET);
		}
		assertThat(output.getAll()).containsPattern("WARN.*" + clientId + ".*lost");
	}

	@ParameterizedTest(name = "MQTT {0}")
	@ValueSource(strings = { "5", "3.1.1" })
	void retainedWillIsKeptAsTheRetainedMessageOfItsTopic(String version) {
		String clientId = ConnectionTestSupport.clientId("it-ret");
		String willTopic = "it/will/" + clientId;
		try (TcpProxy proxy = TcpProxy.to(this.broker.port())) {
			contextRunner(version, proxy.mqttUrl(), clientId, willTopic, "mqtt.will.retain=true",
					"mqtt.automatic-reconnect=false")
				.run((context) -> {
					awaitUp(context);
					proxy.cut();
					await().atMost(WAIT).until(() -> !ConnectionTestSupport.clientManager(context).isConnected());
				});
		}
		try (MqttTestClient lateSubscriber = MqttTestClient.connect(this.broker.tcpUrl())) {
			lateSubscriber.subscribe(willTopic, 1);
			MqttTestClient.Received retained = lateSubscriber.awaitMessage(willTopic, WAIT);
			assertThat(retained.retained()).isTrue();
			assertThat(retained.payloadAsString()).isEqualTo(clientId + " is offline");
			lateSubscriber.publish(willTopic, "", 1, true);
		}
	}

	@ParameterizedTest(name = "MQTT {0}")
	@ValueSource(strings = { "5", "3.1.1" })
	void closingTheApplicationLeavesNoClientThreads(String version) {
		String clientId = ConnectionTestSupport.clientId("it-threads");
		Set<Thread> before = clientThreads(clientId);
		ConnectionTestSupport.contextRunner(version)
			.withPropertyValues("mqtt.url=" + this.broker.mqttUrl(), "mqtt.client-id=" + clientId,
					"mqtt.keep-alive=1s")
			.run((context) -> {
				awaitUp(context);
				assertThat(names(clientThreads(clientId))).anyMatch((name) -> name.startsWith("MQTT Rec: " + clientId))
					.anyMatch((name) -> name.startsWith("mqtt-connect"));
			});
		await().atMost(WAIT).untilAsserted(() -> assertThat(names(newThreads(clientId, before))).isEmpty());
	}

	@ParameterizedTest(name = "MQTT {0}")
	@ValueSource(strings = { "5", "3.1.1" })
	void closingTheApplicationWhileItIsStillConnectingLeavesNoClientThreads(String version) {
		String clientId = ConnectionTestSupport.clientId("it-threads");
		Set<Thread> before = clientThreads(clientId);
		try (FakeBroker server = FakeBroker.start(FakeBroker.Mode.SILENT)) {
			ConnectionTestSupport.contextRunner(version)
				.withPropertyValues("mqtt.url=" + server.mqttUrl(), "mqtt.client-id=" + clientId)
				.run((context) -> await().atMost(WAIT).until(() -> server.connections().size() == 1));
			await().atMost(WAIT).until(() -> server.connections().get(0).isClosedByClient());
		}
		await().atMost(WAIT).untilAsserted(() -> assertThat(names(newThreads(clientId, before))).isEmpty());
	}

	private static Set<Thread> newThreads(String clientId, Set<Thread> before) {
		Set<Thread> threads = new HashSet<>(clientThreads(clientId));
		threads.removeAll(before);
		return threads;
	}

}
