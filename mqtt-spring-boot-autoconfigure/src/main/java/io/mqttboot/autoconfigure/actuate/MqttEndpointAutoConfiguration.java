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
package io.mqttboot.autoconfigure.actuate;

import java.util.Map;

import io.mqttboot.actuate.MqttEndpoint;
import io.mqttboot.autoconfigure.MqttAutoConfiguration;
import io.mqttboot.connection.MqttConnections;
import io.mqttboot.core.MqttTemplate;
import io.mqttboot.listener.MqttListenerEndpointRegistry;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the {@code mqtt} actuator endpoint ({@link MqttEndpoint}), when
 * Spring Boot Actuator is on the class path and the endpoint is available: like Spring
 * Boot's own endpoints it is not exposed over HTTP until
 * {@code management.endpoints.web.exposure.include} names it.
 *
 * @author mqttboot
 */
@AutoConfiguration(after = MqttAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(MqttConnections.class)
@ConditionalOnAvailableEndpoint(MqttEndpoint.class)
public final class MqttEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	MqttEndpoint mqttEndpoint(MqttConnections connections, ListableBeanFactory beanFactory,
			ObjectProvider<MqttListenerEndpointRegistry> listeners) {
		// Named connections' templates are not default candidates: look at every bean.
		return new MqttEndpoint(connections::getAll, () -> templates(beanFactory), listeners.getIfUnique());
	}

	private static Map<String, MqttTemplate> templates(ListableBeanFactory beanFactory) {
		return beanFactory.getBeansOfType(MqttTemplate.class);
	}

}
