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
package io.mqttboot.listener;

import java.nio.charset.StandardCharsets;

import io.mqttboot.autoconfigure.MqttAutoConfiguration;
import io.mqttboot.autoconfigure.health.MqttHealthContributorAutoConfiguration;
import io.mqttboot.connection.MqttConnection;
import io.mqttboot.core.MqttTemplate;
import io.mqttboot.docs.connections.EdgeToCloudBridge;
import io.mqttboot.test.EnabledIfMosquitto;
import io.mqttboot.test.HiveMqBroker;
import io.mqttboot.test.MosquittoBroker;
import io.mqttboot.test.MqttTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two connections to two brokers: the default one to the embedded HiveMQ broker, the
 * named connection {@code cloud} to Mosquitto, each with its listeners and template
 * (the {@link EdgeToCloudBridge} of the documentation). Messages never cross
 * connections, replies go out on the listener's connection, and health has one
 * component per connection. Written once and run for MQTT 5 and 3.1.1 by subclasses.
 *
 * @author mqttboot
 */
@EnabledIfMosquitto
abstract class AbstractNamedConnectionsIntegrationTests {

	static final HiveMqBroker edge = HiveMqBroker.shared();

	static MosquittoBroker cloud;

	/**
	 * Return the value of {@code mqtt.protocol-version} under test.
	 * @return the protocol version
	 */
	abstract String protocolVersion();

	@BeforeAll
	static void startCloud() {
		cloud = MosquittoBroker.startPlain();
	}

	@AfterAll
	static void stopCloud() {
		if (cloud != null) {
			cloud.close();
		}
	}

	private ApplicationContextRunner contextRunner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, MqttAutoConfiguration.class,
					HealthContributorAutoConfiguration.class, MqttHealthContributorAutoConfiguration.class))
			.withBean(EdgeToCloudBridge.class)
			.withPropertyValues("mqtt.protocol-version=" + protocolVersion(), "mqtt.url=" + edge.tcpUrl(),
					"mqtt.client-id=" + ListenerTestSupport.clientId("edge"), "mqtt.reconnect.min-delay=100ms",
					"mqtt.reconnect.max-delay=1s", "mqtt.connections.cloud.url=" + cloud.tcpUrl(),
					"mqtt.connections.cloud.protocol-version=" + protocolVersion(),
					"mqtt.connections.cloud.client-id=" + ListenerTestSupport.clientId("cloud"),
					"mqtt.connections.cloud.reconnect.min-delay=100ms", "mqtt.connections.cloud.reconnect.max-delay=1s");
	}

	@Test
	void listenersAndTemplatesStayOnTheirConnections() {
		contextRunner().run((context) -> {
			assertThat(context).hasNotFailed();
			ListenerTestSupport.awaitSubscribed(context);
			assertThat(context.getBean("cloudMqttConnection", MqttConnection.class).getProtocolVersion().value())
				.isEqualTo(protocolVersion());
			try (MqttTestClient plant = MqttTestClient.connect(edge.tcpUrl());
					MqttTestClient center = MqttTestClient.connect(cloud.tcpUrl())) {
				plant.subscribe("plants/#", 1);
				center.subscribe("plants/#", 1).subscribe("plant/#", 1);
				// Edge to cloud: the default connection's listener sends with the cloud template
				plant.publish("plant/d1/temperature", "21.5", 1, false);
				assertThat(utf8(center.awaitMessage("plants/7/d1/temperature", ListenerTestSupport.WAIT).payload()))
					.isEqualTo("21.5");
				// Cloud command: the cloud listener's reply goes out on the cloud connection
				center.publish("plants/7/d1/command", "reboot", 1, false);
				assertThat(utf8(center.awaitMessage("plants/7/d1/ack", ListenerTestSupport.WAIT).payload()))
					.isEqualTo("done: reboot");
				// The same topics on the other broker reach no listener of the other connection
				plant.publish("plants/7/d2/command", "reboot", 1, false);
				center.publish("plant/d2/temperature", "99", 1, false);
				plant.expectNoMessage("plants/7/d2/ack", ListenerTestSupport.QUIET);
				center.expectNoMessage("plants/7/d2/temperature", ListenerTestSupport.QUIET);
				assertThat(plant.messages()).extracting(MqttTestClient.Received::topic)
					.containsOnly("plants/7/d2/command");
			}
			// The default template publishes on the default connection only
			assertThat(context.getBean(MqttTemplate.class).getConnection().getName()).isEqualTo("default");
		});
	}

	@Test
	void healthHasAComponentPerConnectionAndOneDownLeavesTheOtherUp() {
		contextRunner().run((context) -> {
			CompositeHealthContributor health = context.getBean("mqttHealthContributor",
					CompositeHealthContributor.class);
			HealthIndicator defaultHealth = (HealthIndicator) health.getContributor("default");
			HealthIndicator cloudHealth = (HealthIndicator) health.getContributor("cloud");
			await().atMost(ListenerTestSupport.WAIT).untilAsserted(() -> {
				assertThat(defaultHealth.health(true).getStatus()).isEqualTo(Status.UP);
				assertThat(cloudHealth.health(true).getStatus()).isEqualTo(Status.UP);
			});
			cloud.stop();
			try {
				await().atMost(ListenerTestSupport.WAIT)
					.untilAsserted(() -> assertThat(cloudHealth.health(true).getStatus()).isEqualTo(Status.DOWN));
				assertThat(defaultHealth.health(true).getStatus()).isEqualTo(Status.UP);
			}
			finally {
				cloud.start();
			}
			await().atMost(ListenerTestSupport.WAIT)
				.untilAsserted(() -> assertThat(cloudHealth.health(true).getStatus()).isEqualTo(Status.UP));
		});
	}

	private static String utf8(byte[] payload) {
		return new String(payload, StandardCharsets.UTF_8);
	}

}
