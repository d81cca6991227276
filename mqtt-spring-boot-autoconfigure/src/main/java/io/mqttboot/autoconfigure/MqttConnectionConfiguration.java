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

import java.util.Arrays;

import io.mqttboot.connection.MqttConnection;
import io.mqttboot.connection.MqttConnections;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.mqtt.core.ClientManager;

/**
 * The default {@link MqttConnection} on the application's {@link ClientManager} (the
 * starter's own, or one the application defined, which is then said in one INFO line),
 * and the {@link MqttConnections} of the context, which named connections join.
 *
 * @author mqttboot
 */
@Configuration(proxyBeanMethods = false)
class MqttConnectionConfiguration {

	/**
	 * The name of the auto-configured client manager bean of the default connection.
	 */
	static final String CLIENT_MANAGER_BEAN_NAME = "mqttClientManager";

	private static final Log logger = LogFactory.getLog(MqttConnectionConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnSingleCandidate(ClientManager.class)
	MqttConnection mqttConnection(ClientManager<?, ?> clientManager, ListableBeanFactory beanFactory) {
		String[] names = beanFactory.getBeanNamesForType(ClientManager.class, true, false);
		if (!Arrays.asList(names).contains(CLIENT_MANAGER_BEAN_NAME)) {
			logger.info("The MQTT connection uses the application's ClientManager bean "
					+ String.join(", ", names) + " (" + clientManager.getClass().getName() + "): mqtt.url and the "
					+ "other mqtt.* connection properties are not used");
		}
		return MqttConnection.of(MqttConnection.DEFAULT_NAME, clientManager);
	}

	@Bean
	@ConditionalOnMissingBean
	MqttConnections mqttConnections(ListableBeanFactory beanFactory) {
		return new MqttConnections(beanFactory);
	}

}
