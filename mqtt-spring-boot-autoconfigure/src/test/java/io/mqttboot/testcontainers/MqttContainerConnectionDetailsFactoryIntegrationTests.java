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
package io.mqttboot.testcontainers;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.mqttboot.autoconfigure.MqttAutoConfiguration;
import io.mqttboot.test.MqttTestClient;
import org.eclipse.paho.mqttv5.client.IMqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.mqtt.core.ClientManager;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link MqttContainerConnectionDetailsFactory} against a real Eclipse
 * Mosquitto container (skipped without Docker).
 *
 * @author mqttboot
 */
@SpringJUnitConfig
@Testcontainers(disabledWithoutDocker = true)
@TestPropertySource(properties = { "mqtt.reconnect.min-delay=100ms", "mqtt.connect-timeout=5s" })
class MqttContainerConnectionDetailsFactoryIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@Container
	@ServiceConnection
	static final GenericContainer<?> mosquitto = new GenericContainer<>("eclipse-mosquitto:2.0.20")
		.withExposedPorts(1883)
		.withCommand("mosquitto", "-c", "/mosquitto-no-auth.conf");

	@Autowired
	private ClientManager<?, ?> clientManager;

	@Autowired
	private IMqttAsyncClient client;

	@Test
	void connectsToTheContainerAndPublishes() throws Exception {
		await().atMost(WAIT).until(this.clientManager::isConnected);
		String url = "tcp://" + mosquitto.getHost() + ":" + mosquitto.getMappedPort(1883);
		assertThat(this.clientManager.getUrl()).isEqualTo(url);
		try (MqttTestClient subscriber = MqttTestClient.connect(url)) {
			subscriber.subscribe("service-connection/#", 1);
			this.client
				.publish("service-connection/test",
						new MqttMessage("hello".getBytes(StandardCharsets.UTF_8), 1, false, null))
				.waitForCompletion(WAIT.toMillis());
			assertThat(subscriber.awaitMessage("service-connection/test", WAIT).payloadAsString())
				.isEqualTo("hello");
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(MqttAutoConfiguration.class)
	static class TestConfiguration {

	}

}
