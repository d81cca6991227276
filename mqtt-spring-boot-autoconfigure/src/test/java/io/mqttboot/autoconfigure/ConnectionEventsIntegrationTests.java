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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.mqttboot.connection.MqttConnection;
import io.mqttboot.core.MqttTemplate;
import io.mqttboot.event.MqttConnectedEvent;
import io.mqttboot.event.MqttConnectionLostEvent;
import io.mqttboot.test.EnabledIfMosquitto;
import io.mqttboot.test.MosquittoBroker;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static io.mqttboot.autoconfigure.ConnectionTestSupport.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * End-to-end tests of the connection events against a Mosquitto broker that is stopped
 * and started, for MQTT 5 and 3.1.1: {@link MqttConnectedEvent} on the first connection
 * and on every reconnect, {@link MqttConnectionLostEvent} on a loss but not on the
 * application's own stop, for the default and a named connection, delivered off Paho's
 * callback thread so that a listener may block on a send.
 *
 * @author mqttboot
 */
@EnabledIfMosquitto
class ConnectionEventsIntegrationTests {

	@ParameterizedTest(name = "MQTT {0}")
	@ValueSource(strings = { "5", "3.1.1" })
	void connectedAndLostEventsFollowTheConnection(String version) {
		String clientId = ConnectionTestSupport.clientId("it-events");
		try (MosquittoBroker broker = MosquittoBroker.startPlain()) {
			Recorder[] recorder = new Recorder[1];
			ConnectionTestSupport.contextRunner(version)
				.withUserConfiguration(RecorderConfiguration.class)
				.withPropertyValues("mqtt.url=" + broker.mqttUrl(), "mqtt.client-id=" + clientId,
						"mqtt.connections.cloud.url=" + broker.mqttUrl(), "mqtt.connections.cloud.protocol-version="
								+ version, "mqtt.connections.cloud.client-id=" + clientId + "c")
				.run((context) -> {
					recorder[0] = context.getBean(Recorder.class);
					Recorder events = recorder[0];
					MqttConnectedEvent first = events.awaitConnected("default", 1);
					assertThat(first.getSource()).isSameAs(context.getBean(MqttConnection.class));
					assertThat(first.getServerUri()).isEqualTo(broker.mqttUrl());
					assertThat(first.getClientId()).isEqualTo(clientId);
					assertThat(first.isReconnect()).isFalse();
					assertThat(first.isSessionPresent()).isFalse();
					assertThat(events.awaitConnected("cloud", 1).getClientId()).isEqualTo(clientId + "c");
					// the listener's blocking send completed: it did not run on Paho's thread
					await().atMost(WAIT).until(() -> events.sent.contains(first));
					assertThat(events.threads).noneMatch((name) -> name.startsWith("MQTT"));
					broker.stop();
					MqttConnectionLostEvent lost = events.awaitLost("default", 1);
					assertThat(lost.getReasonCode()).isNotNull();
					events.awaitLost("cloud", 1);
					broker.start();
					MqttConnectedEvent second = events.awaitConnected("default", 2);
					assertThat(second.isReconnect()).isTrue();
					events.awaitConnected("cloud", 2);
					assertThat(events.of(MqttConnectionLostEvent.class, "default")).hasSize(1);
				});
			// the application's own stop is no lost connection
			await().during(Duration.ofMillis(500))
				.atMost(WAIT)
				.until(() -> recorder[0].of(MqttConnectionLostEvent.class, null).size() == 2);
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class RecorderConfiguration {

		@Bean
		Recorder recorder(ObjectProvider<MqttTemplate> template) {
			return new Recorder(template);
		}

	}

	static class Recorder implements ApplicationListener<ApplicationEvent> {

		final List<ApplicationEvent> events = new CopyOnWriteArrayList<>();

		final List<String> threads = new CopyOnWriteArrayList<>();

		final List<ApplicationEvent> sent = new CopyOnWriteArrayList<>();

		private final ObjectProvider<MqttTemplate> template;

		Recorder(ObjectProvider<MqttTemplate> template) {
			this.template = template;
		}

		@Override
		public void onApplicationEvent(ApplicationEvent event) {
			if (!(event instanceof MqttConnectedEvent) && !(event instanceof MqttConnectionLostEvent)) {
				return;
			}
			this.events.add(event);
			this.threads.add(Thread.currentThread().getName());
			if (event instanceof MqttConnectedEvent connected && connected.getConnectionName().equals("default")
					&& !connected.isReconnect()) {
				try {
					// would deadlock on Paho's callback thread, which must handle the PUBACK
					this.template.getObject().send("it/events/hello", "hello", 1, false).get(10, TimeUnit.SECONDS);
					this.sent.add(event);
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			}
		}

		<T extends ApplicationEvent> List<T> of(Class<T> type, String connectionName) {
			return this.events.stream()
				.filter(type::isInstance)
				.map(type::cast)
				.filter((event) -> connectionName == null || connectionName.equals(name(event)))
				.toList();
		}

		MqttConnectedEvent awaitConnected(String connectionName, int count) {
			await().atMost(WAIT).until(() -> of(MqttConnectedEvent.class, connectionName).size() >= count);
			return of(MqttConnectedEvent.class, connectionName).get(count - 1);
		}

		MqttConnectionLostEvent awaitLost(String connectionName, int count) {
			await().atMost(WAIT).until(() -> of(MqttConnectionLostEvent.class, connectionName).size() >= count);
			return of(MqttConnectionLostEvent.class, connectionName).get(count - 1);
		}

		private static String name(ApplicationEvent event) {
			return (event instanceof MqttConnectedEvent connected) ? connected.getConnectionName()
					: ((MqttConnectionLostEvent) event).getConnectionName();
		}

	}

}
