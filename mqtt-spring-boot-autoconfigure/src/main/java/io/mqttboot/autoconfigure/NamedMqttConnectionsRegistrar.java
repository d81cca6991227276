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
import java.util.Map;
import java.util.function.Supplier;

import io.mqttboot.connection.MqttConnection;
import io.mqttboot.connection.MqttProtocolVersion;
import io.mqttboot.core.MqttMessageConverters;
import io.mqttboot.core.MqttTemplate;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.integration.mqtt.core.ClientManager;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.util.Assert;

/**
 * Registers the beans of each named connection of {@code mqtt.connections.<name>.*}:
 * {@code <name>MqttConnectionDetails}, {@code <name>MqttClientManager}, the raw client
 * {@code <name>MqttClient}, {@code <name>MqttConnection} and {@code <name>MqttTemplate}.
 * They are not default candidates, so that injection by type still gets the default
 * connection's beans: inject them by bean name,
 * {@code @Qualifier("cloudMqttTemplate")}. A bean of the application with one of these names
 * replaces the starter's (a {@code <name>MqttClientManager} of its own, for example,
 * declared with {@code @Bean(defaultCandidate = false)} so that it does not also become
 * the default connection's). The customizers of the default connection do not apply to
 * named ones.
 *
 * @author mqttboot
 */
class NamedMqttConnectionsRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanFactoryAware {

	/**
	 * The prefix of the named connections' properties.
	 */
	static final String CONNECTIONS_PREFIX = MqttProperties.PREFIX + ".connections";

	private @Nullable Environment environment;

	private @Nullable BeanFactory beanFactory;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) throws BeansException {
		this.beanFactory = beanFactory;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		Assert.state(this.environment != null, "No Environment");
		bind(this.environment).forEach((name, properties) -> registerConnection(registry, name, properties));
	}

	/**
	 * Bind the named connections of an environment.
	 * @param environment the environment
	 * @return the properties of each named connection, by name
	 */
	static Map<String, MqttConnectionProperties> bind(Environment environment) {
		return Binder.get(environment)
			.bind(CONNECTIONS_PREFIX, Bindable.mapOf(String.class, MqttConnectionProperties.class))
			.orElse(Map.of());
	}

	private void registerConnection(BeanDefinitionRegistry registry, String name, MqttConnectionProperties properties) {
		String prefix = CONNECTIONS_PREFIX + "." + name;
		if (MqttConnection.DEFAULT_NAME.equals(name)) {
			throw new InvalidConfigurationPropertyValueException(prefix, name,
					"'default' is the name of the connection of the mqtt.* properties; choose another name");
		}
		String detailsName = name + "MqttConnectionDetails";
		String managerName = name + "MqttClientManager";
		String connectionName = name + "MqttConnection";
		register(registry, detailsName, MqttConnectionDetails.class,
				() -> new PropertiesMqttConnectionDetails(prefix, properties,
						beanFactory().getBeanProvider(SslBundles.class).getIfAvailable()));
		boolean v5 = !isV3(properties);
		Class<?> managerType = v5 ? V5.managerType() : V3.managerType();
		register(registry, managerName, managerType, () -> {
			MqttPropertiesMapper mapper = new MqttPropertiesMapper(prefix, properties,
					beanFactory().getBean(detailsName, MqttConnectionDetails.class));
			String applicationName = environment().getProperty("spring.application.name");
			return v5 ? V5.clientManager(mapper, applicationName) : V3.clientManager(mapper, applicationName);
		});
		RootBeanDefinition client = definition(v5 ? V5.clientType() : V3.clientType(),
				() -> beanFactory().getBean(managerName, ClientManager.class).getClient());
		client.setDestroyMethodName("");
		registerIfAbsent(registry, name + "MqttClient", client);
		register(registry, connectionName, MqttConnection.class,
				() -> MqttConnection.of(name, beanFactory().getBean(managerName, ClientManager.class)));
		register(registry, name + "MqttTemplate", MqttTemplate.class,
				() -> MqttObservations.observe(MqttTemplateConfiguration.createTemplate(
						beanFactory().getBean(connectionName, MqttConnection.class), properties,
						beanFactory().getBean(MqttMessageConverters.BEAN_NAME, MessageConverter.class)),
						beanFactory().getBeanProvider(MqttObservations.class)));
	}

	// An unknown version is reported by the mapper, with the property's name.
	private static boolean isV3(MqttConnectionProperties properties) {
		MqttProtocolVersion version = MqttProtocolVersion.fromValue(properties.getProtocolVersion());
		return version != null && !version.isV5();
	}

	private static void register(BeanDefinitionRegistry registry, String beanName, Class<?> type,
			Supplier<?> supplier) {
		registerIfAbsent(registry, beanName, definition(type, supplier));
	}

	private static RootBeanDefinition definition(Class<?> type, Supplier<?> supplier) {
		RootBeanDefinition definition = new RootBeanDefinition(type);
		definition.setInstanceSupplier(supplier);
		definition.setDefaultCandidate(false);
		return definition;
	}

	private static void registerIfAbsent(BeanDefinitionRegistry registry, String beanName,
			RootBeanDefinition definition) {
		if (!registry.containsBeanDefinition(beanName)) {
			registry.registerBeanDefinition(beanName, definition);
		}
	}

	private BeanFactory beanFactory() {
		Assert.state(this.beanFactory != null, "No BeanFactory");
		return this.beanFactory;
	}

	private Environment environment() {
		Assert.state(this.environment != null, "No Environment");
		return this.environment;
	}

	/**
	 * Kept apart so that Paho's MQTT 5 client is loaded only when used.
	 */
	private static final class V5 {

		static Class<?> managerType() {
			return io.mqttboot.connection.ReconnectingMqttv5ClientManager.class;
		}

		static Class<?> clientType() {
			return org.eclipse.paho.mqttv5.client.IMqttAsyncClient.class;
		}

		static ClientManager<?, ?> clientManager(MqttPropertiesMapper mapper, @Nullable String applicationName) {
			return Mqttv5ClientConfiguration.createClientManager(new MqttConnectionOptionsConfigurer(mapper),
					List.of(), applicationName);
		}

	}

	/**
	 * Kept apart so that Paho's MQTT 3 client is loaded only when used.
	 */
	private static final class V3 {

		static Class<?> managerType() {
			return io.mqttboot.connection.ReconnectingMqttv3ClientManager.class;
		}

		static Class<?> clientType() {
			return org.eclipse.paho.client.mqttv3.IMqttAsyncClient.class;
		}

		static ClientManager<?, ?> clientManager(MqttPropertiesMapper mapper, @Nullable String applicationName) {
			return Mqttv3ClientConfiguration.createClientManager(new MqttConnectOptionsConfigurer(mapper),
					List.of(), applicationName);
		}

	}

}
