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

import java.io.IOException;
import java.net.ServerSocket;

import io.mqttboot.autoconfigure.MqttAutoConfiguration;
import io.mqttboot.connection.MqttConnection;
import io.mqttboot.connection.MqttProtocolVersion;
import io.mqttboot.core.MqttTemplate;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.mqtt.core.ClientManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the auto-configuration of the {@link MqttTemplate} (no broker needed: the
 * client never connects).
 *
 * @author mqttboot
 */
class MqttTemplateConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, MqttAutoConfiguration.class))
		.withPropertyValues("mqtt.url=mqtt://127.0.0.1:" + freePort());

	@Test
	void templateUsesTheManagedConnection() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(MqttTemplate.class);
			MqttTemplate template = context.getBean(MqttTemplate.class);
			assertThat(template.getConnection().getClientManager()).isSameAs(context.getBean(ClientManager.class));
			assertThat(template.getConnection().getProtocolVersion()).isEqualTo(MqttProtocolVersion.V5);
		});
	}

	@Test
	void templateWorksWithMqtt311() {
		this.contextRunner.withPropertyValues("mqtt.protocol-version=3.1.1")
			.run((context) -> assertThat(context.getBean(MqttTemplate.class).getConnection().getProtocolVersion())
				.isEqualTo(MqttProtocolVersion.V3_1_1));
	}

	@Test
	void userTemplateBacksOff() {
		this.contextRunner.withUserConfiguration(UserTemplateConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(MqttTemplate.class);
			assertThat(context.getBean(MqttTemplate.class)).isSameAs(context.getBean("userTemplate"));
		});
	}

	@Test
	void noTemplateWhenMqttIsDisabled() {
		this.contextRunner.withPropertyValues("mqtt.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(MqttTemplate.class));
	}

	@Test
	void templateWithoutJsonMapperBean() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(MqttAutoConfiguration.class))
			.withPropertyValues("mqtt.url=mqtt://127.0.0.1:" + freePort())
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(MqttTemplate.class));
	}

	@Test
	void invalidDefaultQosFailsStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("mqtt.template.default-qos=3")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("mqtt.template.default-qos"));
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class UserTemplateConfiguration {

		@Bean
		MqttTemplate userTemplate(MqttConnection connection) {
			return new MqttTemplate(connection);
		}

	}

}
