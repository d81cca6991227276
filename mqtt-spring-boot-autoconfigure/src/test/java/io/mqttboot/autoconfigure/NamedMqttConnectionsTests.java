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

import io.mqttboot.connection.MqttConnection;
import io.mqttboot.connection.MqttConnections;
import io.mqttboot.connection.MqttProtocolVersion;
import io.mqttboot.connection.ReconnectingMqttv3ClientManager;
import io.mqttboot.connection.ReconnectingMqttv5ClientManager;
import io.mqttboot.core.MqttTemplate;
import io.mqttboot.listener.MqttListener;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.mqtt.core.ClientManager;
import org.springframework.integration.mqtt.core.Mqttv5ClientManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for the named connections of {@code mqtt.connections.<name>.*}: their beans, how
 * they are injected, and that the default connection's beans do not change. Bad values
 * are covered by {@link MqttAutoConfigurationFailureTests}.
 *
 * @author mqttboot
 */
class NamedMqttConnectionsTests {

	private static final String UNREACHABLE_URL = MqttAutoConfigurationTests.UNREACHABLE_URL;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MqttAutoConfiguration.class, SslAutoConfiguration.class))
		.withPropertyValues("mqtt.url=" + UNREACHABLE_URL);

	@Test
	void noNamedConnectionsNoExtraBeans() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(ClientManager.class)
			.hasSingleBean(MqttConnection.class)
			.hasSingleBean(MqttTemplate.class)
			.hasSingleBean(MqttConnectionDetails.class));
	}

	@Test
	void namedConnectionHasItsOwnBeans() {
		this.contextRunner
			.withPropertyValues("mqtt.connections.cloud.url=" + UNREACHABLE_URL, "mqtt.connections.cloud.client-id=cloud-1",
					"mqtt.client-id=edge-1")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBeansOfType(ClientManager.class)).containsOnlyKeys("mqttClientManager",
						"cloudMqttClientManager");
				assertThat(context.getBeansOfType(MqttTemplate.class)).containsOnlyKeys("mqttTemplate",
						"cloudMqttTemplate");
				ReconnectingMqttv5ClientManager cloud = context.getBean("cloudMqttClientManager",
						ReconnectingMqttv5ClientManager.class);
				assertThat(cloud.getClientId()).isEqualTo("cloud-1");
				assertThat(context.getBean("cloudMqttClient")).isSameAs(cloud.getClient());
				MqttConnection connection = context.getBean("cloudMqttConnection", MqttConnection.class);
				assertThat(connection.getName()).isEqualTo("cloud");
				assertThat(connection.getClientManager()).isSameAs(cloud);
				assertThat(context.getBean("cloudMqttTemplate", MqttTemplate.class).getConnection())
					.isSameAs(connection);
				assertThat(context.getBean("cloudMqttConnectionDetails", MqttConnectionDetails.class).getUrls())
					.containsExactly(UNREACHABLE_URL);
				// By type: the default connection, as without named connections
				assertThat(context.getBean(ClientManager.class).getClientId()).isEqualTo("edge-1");
				assertThat(context.getBean(MqttConnection.class).getName()).isEqualTo("default");
				assertThat(context.getBean(MqttTemplate.class).getConnection().getName()).isEqualTo("default");
			});
	}

	@Test
	void connectionsByName() {
		this.contextRunner
			.withPropertyValues("mqtt.connections.cloud.url=" + UNREACHABLE_URL,
					"mqtt.connections.backup.url=" + UNREACHABLE_URL)
			.run((context) -> {
				MqttConnections connections = context.getBean(MqttConnections.class);
				assertThat(connections.getNames()).containsExactly("default", "cloud", "backup");
				assertThat(connections.get("cloud")).isSameAs(context.getBean("cloudMqttConnection"));
				assertThat(connections.get("default")).isSameAs(context.getBean(MqttConnection.class));
				assertThatIllegalArgumentException().isThrownBy(() -> connections.get("clod"))
					.withMessage("No MQTT connection named 'clod'; the connections are [default, cloud, backup] "
							+ "(named connections are configured under mqtt.connections.<name>)");
			});
	}

	@Test
	void namedBeansAreInjectedByQualifier() {
		this.contextRunner.withPropertyValues("mqtt.connections.cloud.url=" + UNREACHABLE_URL)
			.withUserConfiguration(InjectingConfiguration.class)
			.run((context) -> {
				Injected injected = context.getBean(Injected.class);
				assertThat(injected.byQualifier().getConnection().getName()).isEqualTo("cloud");
				assertThat(injected.byType().getConnection().getName()).isEqualTo("default");
			});
	}

	@Test
	void eachNamedConnectionHasItsOwnProtocolVersion() {
		this.contextRunner
			.withPropertyValues("mqtt.connections.legacy.url=" + UNREACHABLE_URL,
					"mqtt.connections.legacy.protocol-version=3.1.1")
			.run((context) -> {
				assertThat(context.getBean("legacyMqttClientManager"))
					.isInstanceOf(ReconnectingMqttv3ClientManager.class);
				assertThat(context.getBean("legacyMqttClient"))
					.isInstanceOf(org.eclipse.paho.client.mqttv3.IMqttAsyncClient.class);
				assertThat(context.getBean("legacyMqttConnection", MqttConnection.class).getProtocolVersion())
					.isEqualTo(MqttProtocolVersion.V3_1_1);
				assertThat(context.getBean(MqttConnection.class).getProtocolVersion())
					.isEqualTo(MqttProtocolVersion.V5);
			});
	}

	@Test
	void namedConnectionTakesDefaultsOfItsOwn() {
		this.contextRunner
			.withPropertyValues("mqtt.connections.cloud.url=" + UNREACHABLE_URL,
					"mqtt.connections.cloud.template.default-qos=0", "mqtt.template.default-qos=2",
					"mqtt.connections.cloud.keep-alive=5")
			.run((context) -> {
				ReconnectingMqttv5ClientManager cloud = context.getBean("cloudMqttClientManager",
						ReconnectingMqttv5ClientManager.class);
				assertThat(cloud.getConnectionInfo().getKeepAliveInterval()).isEqualTo(5);
				assertThat(context.getBean(ReconnectingMqttv5ClientManager.class).getConnectionInfo()
					.getKeepAliveInterval()).isEqualTo(60);
			});
	}

	@Test
	void applicationBeanOfANamedConnectionReplacesTheStarters() {
		this.contextRunner.withPropertyValues("mqtt.connections.cloud.url=" + UNREACHABLE_URL)
			.withUserConfiguration(UserCloudClientManagerConfiguration.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean("cloudMqttClientManager")).isInstanceOf(Mqttv5ClientManager.class)
					.isNotInstanceOf(ReconnectingMqttv5ClientManager.class);
				assertThat(context.getBean("cloudMqttConnection", MqttConnection.class).getClientManager())
					.isSameAs(context.getBean("cloudMqttClientManager"));
				assertThat(context.getBean(MqttConnection.class).getClientManager())
					.isSameAs(context.getBean("mqttClientManager"));
			});
	}

	@Test
	void defaultIsNotANameOfItsOwn() {
		this.contextRunner.withPropertyValues("mqtt.connections.default.url=" + UNREACHABLE_URL)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("mqtt.connections.default")
					.hasMessageContaining("choose another name");
			});
	}

	@Test
	void listenerOnAnUnknownConnectionFailsStartupNamingTheMethod() {
		this.contextRunner.withPropertyValues("mqtt.connections.cloud.url=" + UNREACHABLE_URL)
			.withUserConfiguration(MisspelledConnectionListener.class)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure())
					.hasStackTraceContaining("@MqttListener 'misspelled' on " + MisspelledConnectionListener.class.getName()
							+ ".onCommand names the connection 'clod'")
					.hasStackTraceContaining("the connections are [default, cloud]");
			});
	}

	@Test
	void disabledMqttHasNoNamedConnections() {
		this.contextRunner.withPropertyValues("mqtt.enabled=false", "mqtt.connections.cloud.url=" + UNREACHABLE_URL)
			.run((context) -> assertThat(context).doesNotHaveBean(ClientManager.class));
	}

	record Injected(MqttTemplate byQualifier, MqttTemplate byType) {

	}

	@Configuration(proxyBeanMethods = false)
	static class InjectingConfiguration {

		@Bean
		Injected injected(@Qualifier("cloudMqttTemplate") MqttTemplate byQualifier, MqttTemplate byType) {
			return new Injected(byQualifier, byType);
		}

	}

	static class MisspelledConnectionListener {

		@MqttListener(id = "misspelled", topics = "commands/#", connection = "clod")
		void onCommand(String command) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserCloudClientManagerConfiguration {

		@Bean(defaultCandidate = false)
		Mqttv5ClientManager cloudMqttClientManager() {
			Mqttv5ClientManager manager = new Mqttv5ClientManager(UNREACHABLE_URL.replace("mqtt:", "tcp:"), "user");
			manager.setQuiescentTimeout(0);
			manager.setDisconnectCompletionTimeout(100);
			return manager;
		}

	}

}
