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

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.mqttboot.test.HiveMqBroker;
import io.mqttboot.test.MqttConnectPacket;
import io.mqttboot.test.TcpProxy;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.mqtt.core.ClientManager;

import static io.mqttboot.autoconfigure.ConnectionTestSupport.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * End-to-end tests that the username and password of the {@link MqttConnectionDetails}
 * are read again before every connection attempt, for the default and a named
 * connection, MQTT 5 and 3.1.1: after the connection is lost, the CONNECT of the
 * reconnection carries the rotated credentials (seen on the wire through a
 * {@link TcpProxy} in front of embedded HiveMQ).
 *
 * @author mqttboot
 */
class RotatingCredentialsIntegrationTests {

	private static final AtomicReference<String> defaultToken = new AtomicReference<>();

	private static final AtomicReference<String> cloudToken = new AtomicReference<>();

	@ParameterizedTest(name = "MQTT {0}")
	@ValueSource(strings = { "5", "3.1.1" })
	void everyConnectionAttemptReadsTheCredentialsAgain(String version) {
		defaultToken.set("token-1");
		cloudToken.set("cloud-token-1");
		try (TcpProxy defaultProxy = TcpProxy.to(HiveMqBroker.shared().port());
				TcpProxy cloudProxy = TcpProxy.to(HiveMqBroker.shared().port())) {
			ConnectionTestSupport.contextRunner(version)
				.withUserConfiguration(RotatingDetails.class)
				.withPropertyValues("mqtt.url=" + defaultProxy.mqttUrl(), "mqtt.connections.cloud.protocol-version="
						+ version, "test.cloud-url=" + cloudProxy.mqttUrl())
				.run((context) -> {
					ClientManager<?, ?> cloud = context.getBean("cloudMqttClientManager", ClientManager.class);
					await().atMost(WAIT).until(() -> ConnectionTestSupport.clientManager(context).isConnected()
							&& cloud.isConnected());
					assertCredentials(defaultProxy, "user-token-1", "token-1");
					assertCredentials(cloudProxy, "user-cloud-token-1", "cloud-token-1");
					defaultToken.set("token-0002");
					cloudToken.set("cloud-token-0002");
					defaultProxy.cut();
					cloudProxy.cut();
					await().atMost(WAIT).until(() -> defaultProxy.connectPackets().size() >= 2
							&& cloudProxy.connectPackets().size() >= 2);
					assertCredentials(defaultProxy, "user-token-0002", "token-0002");
					assertCredentials(cloudProxy, "user-cloud-token-0002", "cloud-token-0002");
				});
		}
	}

	private static void assertCredentials(TcpProxy proxy, String username, String password) {
		List<MqttConnectPacket> connects = proxy.connectPackets();
		MqttConnectPacket last = connects.get(connects.size() - 1);
		assertThat(last.username()).isEqualTo(username);
		assertThat(last.passwordLength()).isEqualTo(password.length());
	}

	@Configuration(proxyBeanMethods = false)
	static class RotatingDetails {

		@Bean
		MqttConnectionDetails mqttConnectionDetails(org.springframework.core.env.Environment environment) {
			return new Rotating(List.of(environment.getRequiredProperty("mqtt.url")), defaultToken);
		}

		@Bean(defaultCandidate = false)
		MqttConnectionDetails cloudMqttConnectionDetails(org.springframework.core.env.Environment environment) {
			return new Rotating(List.of(environment.getRequiredProperty("test.cloud-url")), cloudToken);
		}

	}

	record Rotating(List<String> urls, AtomicReference<String> token) implements MqttConnectionDetails {

		@Override
		public List<String> getUrls() {
			return this.urls;
		}

		@Override
		public @Nullable String getUsername() {
			return "user-" + this.token.get();
		}

		@Override
		public @Nullable String getPassword() {
			return this.token.get();
		}

	}

}
