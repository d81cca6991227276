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
package io.mqttboot.autoconfigure.embedded;

import java.util.HashMap;
import java.util.Map;

import com.hivemq.embedded.EmbeddedHiveMQ;
import io.mqttboot.autoconfigure.MqttAutoConfiguration;
import io.mqttboot.autoconfigure.MqttConnectionDetails;
import io.mqttboot.autoconfigure.MqttProperties;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggerConfiguration;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of an in-process MQTT broker (HiveMQ CE embedded) when
 * {@code mqtt.embedded.enabled=true} and {@code com.hivemq:hivemq-community-edition-embedded}
 * is on the class path. Registers:
 * <ul>
 * <li>an {@link EmbeddedMqttBroker} listening on {@code 127.0.0.1:}{@code mqtt.embedded.port}
 * ({@code 0} picks a free port);</li>
 * <li>{@link MqttConnectionDetails} with its URL and the username and password of the
 * {@code mqtt.*} properties, in place of {@code mqtt.url}, unless a service connection or
 * the application supplies connection details.</li>
 * </ul>
 * Once the broker listens, the environment's {@code local.mqtt.port} is its port and,
 * when the connection goes to it, {@code mqtt.url} its URL (the {@code mqtt.*}
 * properties bound before that keep the configured URL).
 * The broker starts while its bean is created, that is while the context is refreshed and
 * before any {@code SmartLifecycle} starts, so the client manager finds it listening when
 * it connects; it stops when the context closes, after the client manager (which depends
 * on it through the connection details) has disconnected. A port in use fails startup.
 * HiveMQ's loggers ({@code com.hivemq}) are set to WARN unless the application configures
 * them.
 *
 * @author mqttboot
 */
@AutoConfiguration(before = MqttAutoConfiguration.class)
@ConditionalOnClass(EmbeddedHiveMQ.class)
@ConditionalOnBooleanProperty(name = "mqtt.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty("mqtt.embedded.enabled")
@EnableConfigurationProperties(MqttProperties.class)
public final class EmbeddedMqttBrokerAutoConfiguration {

	private static final String[] BROKER_LOGGERS = { "com.hivemq", "oshi" };

	private static final String PROPERTY_SOURCE_NAME = "mqttbootEmbeddedBroker";

	@Bean
	static LazyInitializationExcludeFilter embeddedMqttBrokerLazyInitializationExcludeFilter() {
		return LazyInitializationExcludeFilter.forBeanTypes(EmbeddedMqttBroker.class);
	}

	@Bean(destroyMethod = "stop")
	@ConditionalOnMissingBean
	EmbeddedMqttBroker embeddedMqttBroker(MqttProperties properties, ObjectProvider<LoggingSystem> loggingSystem,
			Environment environment) {
		quietBrokerLogging(loggingSystem.getIfAvailable(
				() -> LoggingSystem.get(EmbeddedMqttBrokerAutoConfiguration.class.getClassLoader())));
		EmbeddedMqttBroker broker = new EmbeddedMqttBroker(properties.getEmbedded().getPort());
		broker.start();
		// Like local.server.port for an embedded web server: with port 0 only now is the
		// port known, to the application and its tests
		if (environment instanceof ConfigurableEnvironment configurable) {
			Map<String, Object> exposed = new HashMap<>();
			exposed.put("local.mqtt.port", broker.getPort());
			configurable.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, exposed));
		}
		return broker;
	}

	@Bean
	@ConditionalOnMissingBean(MqttConnectionDetails.class)
	EmbeddedMqttConnectionDetails mqttConnectionDetails(EmbeddedMqttBroker broker, MqttProperties properties,
			Environment environment) {
		// The connection goes to the broker, and so does mqtt.url
		if (environment instanceof ConfigurableEnvironment configurable
				&& configurable.getPropertySources().get(PROPERTY_SOURCE_NAME) instanceof MapPropertySource exposed) {
			exposed.getSource().put("mqtt.url", broker.getUrl());
		}
		return new EmbeddedMqttConnectionDetails(broker, properties);
	}

	private static void quietBrokerLogging(LoggingSystem loggingSystem) {
		for (String name : BROKER_LOGGERS) {
			try {
				LoggerConfiguration configuration = loggingSystem.getLoggerConfiguration(name);
				if (configuration == null || configuration.getConfiguredLevel() == null) {
					loggingSystem.setLogLevel(name, LogLevel.WARN);
				}
			}
			catch (UnsupportedOperationException ex) {
				return;
			}
		}
	}

}
