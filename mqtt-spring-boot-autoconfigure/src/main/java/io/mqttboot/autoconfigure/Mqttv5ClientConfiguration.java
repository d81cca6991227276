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

import java.util.List;

import io.mqttboot.connection.MqttCredentials;
import io.mqttboot.connection.ReconnectingMqttv5ClientManager;
import org.eclipse.paho.mqttv5.client.IMqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttClientPersistence;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.persist.MqttDefaultFilePersistence;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.integration.mqtt.core.ClientManager;
import org.springframework.util.Assert;

/**
 * The MQTT 5 connection: options configurer, client manager and raw Paho client.
 *
 * @author mqttboot
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(MqttAsyncClient.class)
@Conditional(MqttProtocolVersionCondition.OnMqttV5.class)
class Mqttv5ClientConfiguration {

	@Bean
	@ConditionalOnMissingBean
	MqttConnectionOptionsConfigurer mqttConnectionOptionsConfigurer(MqttProperties properties,
			MqttConnectionDetails connectionDetails) {
		return new MqttConnectionOptionsConfigurer(new MqttPropertiesMapper(properties, connectionDetails));
	}

	@Bean
	@ConditionalOnMissingBean(ClientManager.class)
	ReconnectingMqttv5ClientManager mqttClientManager(MqttConnectionOptionsConfigurer configurer,
			ObjectProvider<MqttConnectionOptionsCustomizer> customizers, Environment environment) {
		return createClientManager(configurer, customizers.orderedStream().toList(),
				environment.getProperty("spring.application.name"));
	}

	/**
	 * Create the client manager of a connection, which reads the username and password
	 * of the connection details again before every connection attempt.
	 * @param configurer the configurer of the connection's options
	 * @param customizers the customizers to apply after it
	 * @param applicationName the application name, for a generated client id
	 * @return the client manager
	 */
	static ReconnectingMqttv5ClientManager createClientManager(MqttConnectionOptionsConfigurer configurer,
			List<MqttConnectionOptionsCustomizer> customizers, @Nullable String applicationName) {
		MqttPropertiesMapper mapper = configurer.mapper();
		MqttConnectionOptions options = new MqttConnectionOptions();
		configurer.configure(options);
		customizers.forEach((customizer) -> customizer.customize(options));
		String clientId = mapper.properties().determineClientId(applicationName);
		ReconnectingMqttv5ClientManager manager = new ReconnectingMqttv5ClientManager(options, clientId, persistence(mapper),
				mapper.reconnectSettings());
		// Read again before every attempt: a MqttConnectionDetails may rotate them
		MqttConnectionDetails details = mapper.details();
		manager.setCredentials(() -> new MqttCredentials(details.getUsername(), details.getPassword()));
		return manager;
	}

	@Bean(destroyMethod = "")
	@ConditionalOnMissingBean
	@ConditionalOnBean(ReconnectingMqttv5ClientManager.class)
	IMqttAsyncClient mqttClient(ClientManager<IMqttAsyncClient, MqttConnectionOptions> clientManager) {
		IMqttAsyncClient client = clientManager.getClient();
		Assert.state(client != null, "The ClientManager bean has no client");
		return client;
	}

	private static MqttClientPersistence persistence(MqttPropertiesMapper mapper) {
		return switch (mapper.properties().getPersistence()) {
			case MEMORY -> new MemoryPersistence();
			case FILE -> new MqttDefaultFilePersistence(mapper.properties().determinePersistenceDirectory().toString());
		};
	}

}
