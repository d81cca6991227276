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
package io.mqttboot.autoconfigure.metrics;

import java.util.Collection;

import io.micrometer.core.instrument.MeterRegistry;
import io.mqttboot.autoconfigure.MqttAutoConfiguration;
import io.mqttboot.connection.MqttConnections;
import io.mqttboot.core.MqttTemplate;
import io.mqttboot.listener.MqttListenerEndpointRegistry;
import io.mqttboot.metrics.MqttMetrics;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the MQTT meters ({@link MqttMetrics}) of every connection, when
 * Micrometer is on the class path and the application has a {@link MeterRegistry} (as
 * Spring Boot Actuator provides): Spring Boot binds the {@code MeterBinder} to its
 * registries once every singleton exists, so that each listener has its meters.
 *
 * @author mqttboot
 */
@AutoConfiguration(after = MqttAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, MqttConnections.class })
public final class MqttMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	MqttMetrics mqttMetrics(MqttConnections connections, ListableBeanFactory beanFactory,
			ObjectProvider<MqttListenerEndpointRegistry> listeners) {
		// Named connections' templates are not default candidates: look at every bean.
		return new MqttMetrics(connections::getAll, () -> templates(beanFactory), listeners.getIfUnique());
	}

	private static Collection<MqttTemplate> templates(ListableBeanFactory beanFactory) {
		return beanFactory.getBeansOfType(MqttTemplate.class).values();
	}

}
