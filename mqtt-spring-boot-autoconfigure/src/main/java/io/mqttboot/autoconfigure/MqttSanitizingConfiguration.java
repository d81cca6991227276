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

import java.util.Locale;

import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Masks the password of every MQTT connection in the actuator's {@code env} and
 * {@code configprops} endpoints, even when they are configured to show values, however
 * the property source spells it: {@code mqtt.password},
 * {@code mqtt.connections.<name>.password}, or the environment variables
 * {@code MQTT_PASSWORD} and {@code MQTT_CONNECTIONS_<NAME>_PASSWORD}.
 *
 * @author mqttboot
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(SanitizingFunction.class)
class MqttSanitizingConfiguration {

	@Bean
	SanitizingFunction mqttPasswordSanitizingFunction() {
		return SanitizingFunction.sanitizeValue().ifKeyMatches(MqttSanitizingConfiguration::isPassword);
	}

	static boolean isPassword(String key) {
		String name = key.toLowerCase(Locale.ROOT).replace('_', '.');
		return name.equals("mqtt.password") || (name.startsWith("mqtt.connections.") && name.endsWith(".password"));
	}

}
