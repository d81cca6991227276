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
package io.mqttboot.test;

import java.time.Duration;
import java.util.Map;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.util.Assert;

/**
 * Turns the embedded broker on, on a free port, above every other property source, and
 * registers the {@link MqttReadiness} that holds the context until the connection is up
 * and the listeners are subscribed. Equal for equal timeouts, so that test classes with
 * the same configuration share their context (and broker) in the test context cache.
 *
 * @author mqttboot
 */
final class EmbeddedMqttBrokerContextCustomizer implements ContextCustomizer {

	static final String PROPERTY_SOURCE_NAME = "mqttbootEmbeddedMqttBrokerTest";

	static final String READINESS_BEAN_NAME = "io.mqttboot.test.mqttReadiness";

	private final int readyTimeoutSeconds;

	EmbeddedMqttBrokerContextCustomizer(int readyTimeoutSeconds) {
		Assert.isTrue(readyTimeoutSeconds > 0,
				() -> "@EmbeddedMqttBroker(readyTimeout) must be positive, not " + readyTimeoutSeconds);
		this.readyTimeoutSeconds = readyTimeoutSeconds;
	}

	@Override
	public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
		context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME,
					Map.of("mqtt.embedded.enabled", "true", "mqtt.embedded.port", "0")));
		if (context instanceof BeanDefinitionRegistry registry) {
			RootBeanDefinition definition = new RootBeanDefinition(MqttReadiness.class);
			definition.getConstructorArgumentValues()
				.addIndexedArgumentValue(0, Duration.ofSeconds(this.readyTimeoutSeconds));
			definition.setRole(RootBeanDefinition.ROLE_INFRASTRUCTURE);
			registry.registerBeanDefinition(READINESS_BEAN_NAME, definition);
		}
	}

	@Override
	public boolean equals(Object other) {
		return (this == other) || (other instanceof EmbeddedMqttBrokerContextCustomizer customizer
				&& this.readyTimeoutSeconds == customizer.readyTimeoutSeconds);
	}

	@Override
	public int hashCode() {
		return EmbeddedMqttBrokerContextCustomizer.class.hashCode() * 31 + this.readyTimeoutSeconds;
	}

}
