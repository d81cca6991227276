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
package io.mqttboot.autoconfigure.health;

import java.io.IOException;
import java.net.ServerSocket;

import io.mqttboot.autoconfigure.MqttAutoConfiguration;
import io.mqttboot.connection.MqttConnection;
import io.mqttboot.health.MqttHealthIndicator;
import io.mqttboot.test.HiveMqBroker;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link MqttHealthContributorAutoConfiguration}.
 *
 * @author mqttboot
 */
class MqttHealthContributorAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MqttAutoConfiguration.class, HealthContributorAutoConfiguration.class,
				MqttHealthContributorAutoConfiguration.class))
		.withPropertyValues("mqtt.url=" + HiveMqBroker.shared().mqttUrl());

	@Test
	void registersMqttContributorThatFollowsTheConnection() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(MqttHealthIndicator.class).hasBean("mqttHealthContributor");
			MqttHealthIndicator indicator = context.getBean(MqttHealthIndicator.class);
			await().untilAsserted(() -> assertThat(indicator.health(true).getStatus()).isEqualTo(Status.UP));
			Health health = indicator.health(true);
			assertThat(health.getDetails()).containsKeys("server", "clientId", "protocolVersion")
				.containsEntry("protocolVersion", "5")
				.doesNotContainKey("lastDisconnectReason");
		});
	}

	@Test
	void namedConnectionsMakeACompositeWithAComponentPerConnection() {
		this.contextRunner.withPropertyValues("mqtt.connections.cloud.url=mqtt://127.0.0.1:" + freePort(),
				"mqtt.connections.legacy.url=" + HiveMqBroker.shared().mqttUrl(),
				"mqtt.connections.legacy.protocol-version=3.1.1")
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(MqttHealthIndicator.class);
				CompositeHealthContributor composite = context.getBean("mqttHealthContributor",
						CompositeHealthContributor.class);
				assertThat(composite.stream().map(HealthContributors.Entry::name)).containsExactly("default",
						"cloud", "legacy");
				HealthIndicator defaultIndicator = (HealthIndicator) composite.getContributor("default");
				HealthIndicator cloud = (HealthIndicator) composite.getContributor("cloud");
				HealthIndicator legacy = (HealthIndicator) composite.getContributor("legacy");
				await().untilAsserted(() -> {
					assertThat(defaultIndicator.health(true).getStatus()).isEqualTo(Status.UP);
					assertThat(legacy.health(true).getStatus()).isEqualTo(Status.UP);
				});
				// One connection DOWN leaves the others UP
				assertThat(cloud.health(true).getStatus()).isEqualTo(Status.DOWN);
				assertThat(legacy.health(true).getDetails()).containsEntry("protocolVersion", "3.1.1");
			});
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void runsWithoutListeners() {
		this.contextRunner.withPropertyValues("mqtt.protocol-version=3.1.1")
			.run((context) -> assertThat(context).hasSingleBean(MqttHealthIndicator.class));
	}

	@Test
	void backsOffForAUserIndicatorWhateverItsName() {
		this.contextRunner.withUserConfiguration(UserIndicatorConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(MqttHealthIndicator.class).doesNotHaveBean("mqttHealthContributor");
			assertThat(context.getBean(MqttHealthIndicator.class)).isSameAs(context.getBean("brokerHealth"));
		});
	}

	@Test
	void backsOffWhenDisabled() {
		this.contextRunner.withPropertyValues("management.health.mqtt.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(MqttHealthIndicator.class));
	}

	@Test
	void backsOffWithoutMqtt() {
		this.contextRunner.withPropertyValues("mqtt.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(MqttHealthIndicator.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserIndicatorConfiguration {

		@Bean
		MqttHealthIndicator brokerHealth(MqttConnection connection) {
			return new MqttHealthIndicator(connection);
		}

	}

}
