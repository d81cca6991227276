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
import io.mqttboot.core.JacksonJsonPayloadCodec;
import io.mqttboot.core.JacksonSupport;
import io.mqttboot.core.MqttTemplate;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@link MqttTemplate} on the default connection, with the defaults of
 * {@code mqtt.template.*} and {@code mqtt.max-inflight}, writing JSON with the
 * application's Jackson {@code JsonMapper} when there is one.
 *
 * @author mqttboot
 */
@Configuration(proxyBeanMethods = false)
class MqttTemplateConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnSingleCandidate(MqttConnection.class)
	MqttTemplate mqttTemplate(MqttConnection connection, MqttProperties properties, BeanFactory beanFactory) {
		return createTemplate(connection, properties, beanFactory);
	}

	/**
	 * Create the template of a connection with the defaults of its properties.
	 * @param connection the connection
	 * @param properties the properties of the connection
	 * @param beanFactory the bean factory to find the application's JSON support in
	 * @return the template
	 */
	static MqttTemplate createTemplate(MqttConnection connection, MqttConnectionProperties properties,
			BeanFactory beanFactory) {
		MqttTemplate template = new MqttTemplate(connection);
		int defaultQos = properties.getTemplate().getDefaultQos();
		if (defaultQos < 0 || defaultQos > 2) {
			throw new InvalidConfigurationPropertyValueException("mqtt.template.default-qos", defaultQos,
					"QoS must be 0, 1 or 2");
		}
		template.setDefaultQos(defaultQos);
		template.setDefaultRetain(properties.getTemplate().isDefaultRetain());
		if (properties.getMaxInflight() > 0) {
			template.setMaxInflight(properties.getMaxInflight());
		}
		if (JacksonSupport.isPresent()) {
			JsonSupport.configure(template, beanFactory);
		}
		return template;
	}

	/**
	 * Kept apart so that Jackson is loaded only when present.
	 */
	private static final class JsonSupport {

		static void configure(MqttTemplate template, BeanFactory beanFactory) {
			JsonMapper jsonMapper = beanFactory.getBeanProvider(JsonMapper.class).getIfUnique();
			if (jsonMapper != null) {
				template.setJsonCodec(new JacksonJsonPayloadCodec(jsonMapper));
			}
		}

	}

}
