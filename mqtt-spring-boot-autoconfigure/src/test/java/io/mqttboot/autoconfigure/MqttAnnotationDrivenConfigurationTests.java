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

import io.mqttboot.core.MqttTemplate;
import io.mqttboot.listener.LoggingMqttListenerErrorHandler;
import io.mqttboot.listener.MqttListenerAnnotationBeanPostProcessor;
import io.mqttboot.listener.MqttListenerEndpointRegistry;
import io.mqttboot.listener.MqttListenerErrorHandler;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.mqtt.core.ClientManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MqttAnnotationDrivenConfiguration}.
 *
 * @author mqttboot
 */
class MqttAnnotationDrivenConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MqttAutoConfiguration.class))
		.withPropertyValues("mqtt.url=" + MqttAutoConfigurationTests.UNREACHABLE_URL);

	@Test
	void listenerInfrastructureIsAutoConfigured() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(MqttListenerEndpointRegistry.class)
				.hasBean(MqttListenerAnnotationBeanPostProcessor.DEFAULT_BEAN_NAME)
				.hasBean(MqttListenerEndpointRegistry.DEFAULT_BEAN_NAME);
			assertThat(context.getBean(MqttListenerEndpointRegistry.DEFAULT_ERROR_HANDLER_BEAN_NAME))
				.isInstanceOf(LoggingMqttListenerErrorHandler.class);
			assertThat(context.getBean(MqttListenerEndpointRegistry.class).getListenerIds()).isEmpty();
		});
	}

	@Test
	void userDefaultErrorHandlerReplacesTheLoggingOne() {
		this.contextRunner.withUserConfiguration(UserErrorHandlerConfiguration.class).run((context) -> {
			assertThat(context).doesNotHaveBean(LoggingMqttListenerErrorHandler.class);
			assertThat(context.getBean(MqttListenerEndpointRegistry.DEFAULT_ERROR_HANDLER_BEAN_NAME))
				.isSameAs(UserErrorHandlerConfiguration.HANDLER);
		});
	}

	@Test
	void userRegistryBacksOff() {
		this.contextRunner.withUserConfiguration(UserRegistryConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(MqttListenerEndpointRegistry.class);
			assertThat(context.getBean(MqttListenerEndpointRegistry.class))
				.isSameAs(context.getBean("customRegistry"));
		});
	}

	@Test
	void disabledStarterHasNoListenerInfrastructure() {
		this.contextRunner.withPropertyValues("mqtt.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(MqttListenerEndpointRegistry.class)
				.doesNotHaveBean(MqttListenerAnnotationBeanPostProcessor.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserErrorHandlerConfiguration {

		static final MqttListenerErrorHandler HANDLER = (message, exception) -> {
		};

		@Bean
		MqttListenerErrorHandler mqttListenerErrorHandler() {
			return HANDLER;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserRegistryConfiguration {

		@Bean
		MqttListenerEndpointRegistry customRegistry(ClientManager<?, ?> clientManager,
				ObjectProvider<MqttTemplate> templates) {
			return new MqttListenerEndpointRegistry(clientManager, new LoggingMqttListenerErrorHandler(), templates);
		}

	}

}
