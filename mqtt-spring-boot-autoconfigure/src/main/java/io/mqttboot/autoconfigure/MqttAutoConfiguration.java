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

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.integration.mqtt.core.ClientManager;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of one managed MQTT connection, shared by every listener, the
 * template and user-made Spring Integration adapters. Registers:
 * <ul>
 * <li>{@link MqttConnectionDetails} from the {@code mqtt.*} properties, unless a service
 * connection supplies them;</li>
 * <li>for MQTT 5 (the default), an {@code Mqttv5ClientManager}, its Paho
 * {@code IMqttAsyncClient} and a {@link MqttConnectionOptionsConfigurer};</li>
 * <li>for MQTT 3.1.1 and 3.1, an {@code Mqttv3ClientManager}, its Paho
 * {@code IMqttAsyncClient} and a {@link MqttConnectOptionsConfigurer};</li>
 * <li>the {@link io.mqttboot.connection.MqttConnection} on that client manager (or on the
 * application's own), which the template, the listeners and health work through;</li>
 * <li>for each named connection of {@code mqtt.connections.<name>.*}, the same beans
 * prefixed with its name (see {@link NamedMqttConnectionsRegistrar});</li>
 * <li>the payload converter of the template and the listeners, a spring-messaging
 * {@code MessageConverter} named {@code mqttMessageConverter}.</li>
 * </ul>
 *
 * @author mqttboot
 */
@AutoConfiguration(after = SslAutoConfiguration.class)
@ConditionalOnClass(ClientManager.class)
@ConditionalOnBooleanProperty(name = "mqtt.enabled", matchIfMissing = true)
@EnableConfigurationProperties(MqttProperties.class)
@Import({ Mqttv5ClientConfiguration.class, Mqttv3ClientConfiguration.class, MqttConnectionConfiguration.class,
		MqttMessageConverterConfiguration.class, MqttTemplateConfiguration.class, MqttAnnotationDrivenConfiguration.class,
		MqttSanitizingConfiguration.class, MqttObservationConfiguration.class,
		NamedMqttConnectionsRegistrar.class })
public final class MqttAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(MqttConnectionDetails.class)
	PropertiesMqttConnectionDetails mqttConnectionDetails(MqttProperties properties,
			ObjectProvider<SslBundles> sslBundles) {
		return new PropertiesMqttConnectionDetails(properties, sslBundles.getIfAvailable());
	}

	/**
	 * Fails startup when {@code mqtt.embedded.enabled=true} asks for the embedded broker
	 * but its library is missing, rather than connecting silently to {@code mqtt.url}.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty("mqtt.embedded.enabled")
	@ConditionalOnMissingClass("com.hivemq.embedded.EmbeddedHiveMQ")
	static class EmbeddedBrokerLibraryMissingConfiguration {

		@Bean
		static Object mqttEmbeddedBrokerLibraryCheck() {
			throw new MqttConfigurationException(
					"mqtt.embedded.enabled is true, but the embedded MQTT broker (HiveMQ CE embedded) is not on the "
							+ "class path",
					"Add the dependency com.hivemq:hivemq-community-edition-embedded (for example with <scope>"
							+ "runtime</scope>, or test scope for tests only), or remove mqtt.embedded.enabled");
		}

	}

}
