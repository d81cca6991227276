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

import java.time.Duration;

import io.mqttboot.connection.MqttConnection;
import io.mqttboot.core.MqttMessageConverters;
import io.mqttboot.core.MqttTemplate;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.converter.MessageConverter;

/**
 * The {@link MqttTemplate} on the default connection, with the defaults of
 * {@code mqtt.template.*} and {@code mqtt.max-inflight}, writing payload objects and
 * reading typed responses with the {@value MqttMessageConverters#BEAN_NAME} bean.
 *
 * @author mqttboot
 */
@Configuration(proxyBeanMethods = false)
class MqttTemplateConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnSingleCandidate(MqttConnection.class)
	MqttTemplate mqttTemplate(MqttConnection connection, MqttProperties properties,
			@Qualifier(MqttMessageConverters.BEAN_NAME) MessageConverter messageConverter,
			ObjectProvider<MqttObservations> observations) {
		return MqttObservations.observe(createTemplate(connection, properties, messageConverter), observations);
	}

	/**
	 * Create the template of a connection with the defaults of its properties.
	 * @param connection the connection
	 * @param properties the properties of the connection
	 * @param messageConverter the converter of payload objects
	 * @return the template
	 */
	static MqttTemplate createTemplate(MqttConnection connection, MqttConnectionProperties properties,
			MessageConverter messageConverter) {
		MqttTemplate template = new MqttTemplate(connection);
		int defaultQos = properties.getTemplate().getDefaultQos();
		if (defaultQos < 0 || defaultQos > 2) {
			throw new InvalidConfigurationPropertyValueException("mqtt.template.default-qos", defaultQos,
					"QoS must be 0, 1 or 2");
		}
		template.setDefaultQos(defaultQos);
		template.setDefaultRetain(properties.getTemplate().isDefaultRetain());
		MqttConnectionProperties.Template.Buffer buffer = properties.getTemplate().getBuffer();
		if (buffer.getMaxMessages() < 0) {
			throw new InvalidConfigurationPropertyValueException("mqtt.template.buffer.max-messages",
					buffer.getMaxMessages(), "Use 0 to fail sends at once while not connected, or a positive number");
		}
		if (buffer.getMaxBytes().isNegative()) {
			throw new InvalidConfigurationPropertyValueException("mqtt.template.buffer.max-bytes",
					buffer.getMaxBytes(), "Use a positive size such as 16MB");
		}
		Duration sendTimeout = properties.getTemplate().getSendTimeout();
		if (sendTimeout.isNegative() || sendTimeout.isZero()) {
			throw new InvalidConfigurationPropertyValueException("mqtt.template.send-timeout", sendTimeout,
					"Use a positive duration such as 30s");
		}
		template.setSendTimeout(sendTimeout);
		template.setBuffer(buffer.getMaxMessages(), buffer.getMaxBytes().toBytes());
		if (properties.getMaxInflight() > 0) {
			template.setMaxInflight(properties.getMaxInflight());
		}
		template.setMessageConverter(messageConverter);
		return template;
	}

}
