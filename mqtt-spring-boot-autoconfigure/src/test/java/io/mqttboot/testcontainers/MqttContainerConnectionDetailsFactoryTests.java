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

import java.time.Duration;

import io.mqttboot.autoconfigure.MqttAutoConfiguration;
import io.mqttboot.autoconfigure.MqttConnectionDetails;
import io.mqttboot.test.HiveMqBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.hivemq.HiveMQContainer;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetailsNotFoundException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.testcontainers.context.ImportTestcontainers;
import org.springframework.boot.testcontainers.service.connection.PemTrustStore;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.boot.testcontainers.service.connection.ServiceConnectionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.mqtt.core.ClientManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link MqttContainerConnectionDetailsFactory} and
 * {@link HiveMQContainerConnectionDetailsFactory}, through Spring Boot's service connection
 * machinery, with containers that report a host and a mapped port but never start (no
 * Docker needed).
 *
 * @author mqttboot
 */
class MqttContainerConnectionDetailsFactoryTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ServiceConnectionAutoConfiguration.class))
		.withPropertyValues("mqtt.url=mqtt://properties.example:1883");

	@ParameterizedTest
	@ValueSource(classes = { MosquittoContainerConfiguration.class, HiveMqCeContainerConfiguration.class,
			EmqxContainerConfiguration.class })
	void containerOfMqttBrokerImageSuppliesUrlWithMappedPort(Class<?> configuration) {
		this.contextRunner.withUserConfiguration(configuration).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(MqttConnectionDetails.class);
			MqttConnectionDetails details = context.getBean(MqttConnectionDetails.class);
			assertThat(details.getUrls()).containsExactly("mqtt://10.1.2.3:32768");
			assertThat(details.getUsername()).isNull();
			assertThat(details.getPassword()).isNull();
			assertThat(details.getSslBundle()).isNull();
		});
	}

	@Test
	void containerWithSslAnnotationSuppliesTlsUrlAndBundle() {
		this.contextRunner.withUserConfiguration(TlsMosquittoContainerConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			MqttConnectionDetails details = context.getBean(MqttConnectionDetails.class);
			assertThat(details.getUrls()).containsExactly("mqtts://10.1.2.3:32769");
			assertThat(details.getSslBundle()).isNotNull();
			assertThat(details.getSslBundle().getStores().getTrustStore()).isNotNull();
		});
	}

	@Test
	void containerOfOtherImageGetsNoMqttConnectionDetails() {
		this.contextRunner.withUserConfiguration(RedisContainerConfiguration.class)
			.run((context) -> assertThat(context).getFailure()
				.isInstanceOf(ConnectionDetailsNotFoundException.class));
	}

	@Test
	void hiveMqModuleContainerSuppliesUrlWithMqttPort() {
		this.contextRunner.withUserConfiguration(HiveMQContainerConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(MqttConnectionDetails.class);
			assertThat(context.getBean(MqttConnectionDetails.class).getUrls())
				.containsExactly("mqtt://10.1.2.4:32771");
		});
	}

	@Test
	void hiveMqModuleContainerNamedAfterTheImageGetsOneConnectionDetails() {
		this.contextRunner.withUserConfiguration(NamedHiveMQContainerConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(MqttConnectionDetails.class);
			assertThat(context.getBean(MqttConnectionDetails.class).getUrls())
				.containsExactly("mqtt://10.1.2.4:32771");
		});
	}

	@Test
	void containerFieldNamedAfterItsImageConnectsTheAutoConfiguredClient() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(MqttAutoConfiguration.class))
			.withPropertyValues("mqtt.reconnect.min-delay=100ms", "mqtt.connect-timeout=5s")
			.withUserConfiguration(MosquittoContainerDeclaration.class)
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(MqttConnectionDetails.class);
				String url = "mqtt://127.0.0.1:" + MosquittoContainerDeclaration.broker.port();
				assertThat(context.getBean(MqttConnectionDetails.class).getUrls()).containsExactly(url);
				ClientManager<?, ?> clientManager = context.getBean(ClientManager.class);
				await().atMost(Duration.ofSeconds(10)).until(clientManager::isConnected);
				assertThat(clientManager.getUrl()).isEqualTo(MosquittoContainerDeclaration.broker.tcpUrl());
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class MosquittoContainerConfiguration {

		@Bean
		@ServiceConnection("eclipse-mosquitto")
		GenericContainer<?> mosquitto() {
			return StubContainers.generic("eclipse-mosquitto:2.0", "10.1.2.3", 32768);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TlsMosquittoContainerConfiguration {

		@Bean
		@ServiceConnection("eclipse-mosquitto")
		@PemTrustStore("classpath:io/mqttboot/testcontainers/ca.crt")
		GenericContainer<?> mosquitto() {
			return StubContainers.generic("eclipse-mosquitto:2.0", "10.1.2.3", 32768);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class HiveMqCeContainerConfiguration {

		@Bean
		@ServiceConnection("hivemq/hivemq-ce")
		GenericContainer<?> hiveMq() {
			return StubContainers.generic("hivemq/hivemq-ce:2025.5", "10.1.2.3", 32768);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class EmqxContainerConfiguration {

		@Bean
		@ServiceConnection("emqx/emqx")
		GenericContainer<?> emqx() {
			return StubContainers.generic("emqx/emqx:5.8", "10.1.2.3", 32768);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RedisContainerConfiguration {

		@Bean
		@ServiceConnection("redis")
		GenericContainer<?> redis() {
			return StubContainers.generic("redis:7", "10.1.2.3", 32768);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class HiveMQContainerConfiguration {

		@Bean
		@ServiceConnection
		HiveMQContainer hiveMq() {
			return StubContainers.hiveMq("10.1.2.4", 32771);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class NamedHiveMQContainerConfiguration {

		@Bean
		@ServiceConnection("hivemq/hivemq-ce")
		HiveMQContainer hiveMq() {
			return StubContainers.hiveMq("10.1.2.4", 32771);
		}

	}

	@ImportTestcontainers
	static class MosquittoContainerDeclaration {

		static final HiveMqBroker broker = HiveMqBroker.shared();

		@ServiceConnection
		static final GenericContainer<?> mosquitto = StubContainers.generic("eclipse-mosquitto:2.0", "127.0.0.1",
				broker.port());

	}

}
