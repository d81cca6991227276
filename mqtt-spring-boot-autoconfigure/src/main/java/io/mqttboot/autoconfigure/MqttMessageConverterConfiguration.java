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

import io.mqttboot.core.MqttMessageConverters;
import io.mqttboot.core.MqttTemplate;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.converter.MessageConverter;

/**
 * The one payload converter of the {@link MqttTemplate} and the listeners, the bean
 * named {@value MqttMessageConverters#BEAN_NAME}: {@code String}, {@code byte[]} and,
 * with Jackson 3, JSON with the application's {@code JsonMapper} (see
 * {@link MqttMessageConverters}).
 * <p>
 * It backs off for a bean of that name, not for any {@link MessageConverter}: other
 * spring-messaging converters in an application (Spring Integration's, WebSocket's)
 * are not meant for MQTT payloads. For the same reason it is not a default candidate for
 * injection by type; inject it with {@code @Qualifier("mqttMessageConverter")}.
 *
 * @author mqttboot
 */
@Configuration(proxyBeanMethods = false)
class MqttMessageConverterConfiguration {

	@Bean(name = MqttMessageConverters.BEAN_NAME, defaultCandidate = false)
	@ConditionalOnMissingBean(name = MqttMessageConverters.BEAN_NAME)
	MessageConverter mqttMessageConverter(BeanFactory beanFactory) {
		return MqttMessageConverters.create(beanFactory);
	}

}
