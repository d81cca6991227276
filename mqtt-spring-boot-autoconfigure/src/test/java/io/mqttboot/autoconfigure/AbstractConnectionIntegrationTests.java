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

import io.mqttboot.autoconfigure.ConnectionTestSupport.Inbox;
import io.mqttboot.autoconfigure.ConnectionTestSupport.InboxConfiguration;
import io.mqttboot.test.HiveMqBroker;
import io.mqttboot.test.MqttTestClient;
import io.mqttboot.test.TestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;

import static io.mqttboot.autoconfigure.ConnectionTestSupport.WAIT;
import static io.mqttboot.autoconfigure.ConnectionTestSupport.awaitFailedAttempt;
import static io.mqttboot.autoconfigure.ConnectionTestSupport.awaitUp;
import static io.mqttboot.autoconfigure.ConnectionTestSupport.clientManager;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * End-to-end tests of the managed connection against the shared HiveMQ broker, written
 * once and run for each protocol version by a thin subclass. Every test configures the
 * application through {@code mqtt.*} properties only and observes the effect on the
 * broker through a second client.
 *
 * @author mqttboot
 */
@ExtendWith(OutputCaptureExtension.class)
abstract class AbstractConnectionIntegrationTests {

	/** How long to watch for a message that must not arrive. */
	static final Duration QUIET = Duration.ofMillis(500);

	final TestBroker broker = broker();

	/**
	 * Return the broker under test (default: the shared HiveMQ).
	 * @return the broker
	 */
	TestBroker broker() {
		return HiveMqBroker.shared();
	}

	/**
	 * Return the value of {@code mqtt.protocol-version} under test.
	 * @return the protocol version
	 */
	abstract String protocolVersion();

	/**
	 * Return the properties of a persistent session for this version.
	 * @return the properties
	 */
	abstract String[] persistentSessionProperties();

	/**
	 * Subscribe with the raw Paho client bean of the application.
	 * @param context the application context
	 * @param filter the topic filter
	 * @param qos the QoS
	 * @throws Exception if the subscription fails
	 */
	abstract void subscribe(ApplicationContext context, String filter, int qos) throws Exception;

	/**
	 * Publish with the raw Paho client bean of the application.
	 * @param context the application context
	 * @param topic the topic
	 * @param payload the payload
	 * @param qos the QoS
	 * @throws Exception if publishing fails
	 */
	abstract void publish(ApplicationContext context, String topic, String payload, int qos) throws Exception;

	/**
	 * Connect a raw client of this protocol version with the given client id.
	 * @param url the broker URL
	 * @param clientId the client id
	 * @return the connected client
	 * @throws Exception if the connection fails
	 */
	abstract RawClient connectRawClient(String url, String clientId) throws Exception;

	/**
	 * Return what the application logs when another connection took its client id over.
	 * @param clientId the client id
	 * @return the expected log text
	 */
	abstract String takeoverLogMessage(String clientId);

	ApplicationContextRunner contextRunner() {
		return ConnectionTestSupport.contextRunner(protocolVersion());
	}

	String topic(String name) {
		return "it/" + protocolVersion().replace(".", "") + "/" + name + "/" + ConnectionTestSupport.clientId("t");
	}

	@Test
	void connectsOverTcpAndReportsTheConnectionInHealth(CapturedOutput output) {
		String clientId = ConnectionTestSupport.clientId("it-tcp");
		String topic = topic("tcp");
		contextRunner().withPropertyValues("mqtt.url=" + this.broker.mqttUrl(), "mqtt.client-id=" + clientId)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				Health health = awaitUp(context);
				await().atMost(WAIT)
					.untilAsserted(() -> assertThat(output)
						.contains("Connected to " + this.broker.mqttUrl() + " as client id '" + clientId + "'"));
				assertThat(health.getDetails()).containsEntry("server", this.broker.mqttUrl())
					.containsEntry("clientId", clientId)
					.containsEntry("protocolVersion", protocolVersion())
					.doesNotContainKey("lastDisconnectReason");
				try (MqttTestClient observer = MqttTestClient.connect(this.broker.tcpUrl())) {
					observer.subscribe(topic, 1);
					publish(context, topic, "over-tcp", 1);
					assertThat(observer.awaitMessage(topic, WAIT).payloadAsString()).isEqualTo("over-tcp");
				}
			});
	}

	@Test
	void webSocketUrlWithoutPathUsesSlashMqtt(CapturedOutput output) {
		String topic = topic("ws");
		contextRunner().withPropertyValues("mqtt.url=ws://127.0.0.1:" + this.broker.wsPort()).run((context) -> {
			Health health = awaitUp(context);
			assertThat(health.getDetails()).containsEntry("server", this.broker.wsUrl());
			await().atMost(WAIT)
				.untilAsserted(() -> assertThat(output).contains("Connected to " + this.broker.wsUrl() + " as client id"));
			try (MqttTestClient observer = MqttTestClient.connect(this.broker.tcpUrl())) {
				observer.subscribe(topic, 1);
				publish(context, topic, "over-websocket", 1);
				assertThat(observer.awaitMessage(topic, WAIT).payloadAsString()).isEqualTo("over-websocket");
			}
		});
	}

	@Test
	void webSocketUrlWithAnotherPathIsRefusedByABrokerServingSlashMqtt(CapturedOutput output) {
		contextRunner().withPropertyValues("mqtt.url=ws://127.0.0.1:" + this.broker.wsPort() + "/other")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				Health health = awaitFailedAttempt(context);
				assertThat(health.getDetails()).containsEntry("server",
						"ws://127.0.0.1:" + this.broker.wsPort() + "/other");
				await().atMost(WAIT)
					.untilAsserted(() -> assertThat(output)
						.contains("MQTT connection to ws://127.0.0.1:" + this.broker.wsPort() + "/other (client id"));
				await().during(QUIET).atMost(WAIT).until(() -> !clientManager(context).isConnected());
			});
	}

	@Test
	void secondConnectionWithTheSameClientIdKicksTheApplicationOff(CapturedOutput output) {
		String clientId = ConnectionTestSupport.clientId("it-dup");
		contextRunner().withUserConfiguration(InboxConfiguration.class)
			.withPropertyValues("mqtt.url=" + this.broker.mqttUrl(), "mqtt.client-id=" + clientId)
			.run((context) -> {
				awaitUp(context);
				Inbox inbox = context.getBean(Inbox.class);
				try (RawClient intruder = connectRawClient(this.broker.tcpUrl(), clientId)) {
					// the broker dropped the application's connection for the intruder ...
					await().atMost(WAIT).until(() -> output.getAll().contains(takeoverLogMessage(clientId)));
					// ... and the application, reconnecting with the same id, drops the
					// intruder in turn: client ids must be unique per connection
					await().atMost(WAIT).until(() -> inbox.reconnects() >= 1);
					await().atMost(WAIT).until(() -> !intruder.isConnected());
					awaitUp(context);
				}
			});
		assertThat(output.getAll()).containsPattern("WARN.*" + clientId);
	}

	@Test
	void persistentSessionDeliversQos1MessagesSentWhileTheApplicationWasDown(CapturedOutput output) {
		assertSessionSurvivesRestart(persistentSessionProperties());
		assertThat(output.getAll()).contains("session present: true");
	}

	@Test
	void cleanStartDiscardsThePersistentSession() {
		String clientId = ConnectionTestSupport.clientId("it-clean");
		String topic = topic("clean");
		ApplicationContextRunner runner = contextRunner().withUserConfiguration(InboxConfiguration.class)
			.withPropertyValues("mqtt.url=" + this.broker.mqttUrl(), "mqtt.client-id=" + clientId);
		runner.withPropertyValues(persistentSessionProperties()).run((context) -> {
			awaitUp(context);
			subscribe(context, topic, 1);
		});
		try (MqttTestClient publisher = MqttTestClient.connect(this.broker.tcpUrl())) {
			publisher.publish(topic, "sent-while-down", 1, false);
			runner.withPropertyValues("mqtt.clean-start=true").run((context) -> {
				awaitUp(context);
				publisher.publish(topic, "sent-after-clean-start", 1, false);
				Inbox inbox = context.getBean(Inbox.class);
				await().during(QUIET).atMost(WAIT).until(() -> inbox.messages().isEmpty());
			});
		}
	}

	/**
	 * Subscribe at QoS 1 in a run of the application, then publish at QoS 1 while it is
	 * down.
	 * @param runner the application
	 * @param topic the topic
	 */
	private void subscribeThenPublishWhileDown(ApplicationContextRunner runner, String topic) {
		runner.run((context) -> {
			awaitUp(context);
			subscribe(context, topic, 1);
		});
		try (MqttTestClient publisher = MqttTestClient.connect(this.broker.tcpUrl())) {
			publisher.publish(topic, "sent-while-down", 1, false);
		}
	}

	/**
	 * Subscribe at QoS 1 in a first run of the application, publish while it is down,
	 * and assert that a second run with the same client id and properties receives the
	 * message from its session.
	 * @param sessionProperties the session properties of both runs
	 */
	void assertSessionSurvivesRestart(String... sessionProperties) {
		String clientId = ConnectionTestSupport.clientId("it-sess");
		String topic = topic("session");
		ApplicationContextRunner runner = contextRunner().withUserConfiguration(InboxConfiguration.class)
			.withPropertyValues("mqtt.url=" + this.broker.mqttUrl(), "mqtt.client-id=" + clientId)
			.withPropertyValues(sessionProperties);
		subscribeThenPublishWhileDown(runner, topic);
		runner.run((context) -> {
			Inbox inbox = context.getBean(Inbox.class);
			await().atMost(WAIT).until(() -> inbox.payloads().contains("sent-while-down"));
			assertThat(inbox.payloads()).containsExactly("sent-while-down");
		});
	}

	/**
	 * Assert that a session does not outlive the connection: a message sent while the
	 * application is down does not reach its next run.
	 * @param sessionProperties the session properties of both runs
	 */
	void assertSessionEndsWithTheConnection(String... sessionProperties) {
		String clientId = ConnectionTestSupport.clientId("it-gone");
		String topic = topic("gone");
		ApplicationContextRunner runner = contextRunner().withUserConfiguration(InboxConfiguration.class)
			.withPropertyValues("mqtt.url=" + this.broker.mqttUrl(), "mqtt.client-id=" + clientId)
			.withPropertyValues(sessionProperties);
		subscribeThenPublishWhileDown(runner, topic);
		runner.run((context) -> {
			awaitUp(context);
			Inbox inbox = context.getBean(Inbox.class);
			await().during(QUIET).atMost(WAIT).until(() -> inbox.messages().isEmpty());
		});
	}

	/**
	 * A raw client of the version under test, connected outside the application.
	 */
	interface RawClient extends AutoCloseable {

		boolean isConnected();

		@Override
		void close();

	}

}
