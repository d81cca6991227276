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
import io.mqttboot.connection.MqttConnections;
import io.mqttboot.core.MqttMessageConverters;
import io.mqttboot.core.MqttTemplate;
import io.mqttboot.listener.LoggingMqttListenerErrorHandler;
import io.mqttboot.listener.MqttListener;
import io.mqttboot.listener.MqttListenerAnnotationBeanPostProcessor;
import io.mqttboot.listener.MqttListenerContainerFactory;
import io.mqttboot.listener.MqttListenerEndpointRegistry;
import io.mqttboot.listener.MqttListenerErrorHandler;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnThreading;
import org.springframework.boot.thread.Threading;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.messaging.converter.MessageConverter;

/**
 * Annotation-driven listeners: the {@link MqttListener @MqttListener} post-processor,
 * converting payloads with the {@value MqttMessageConverters#BEAN_NAME} bean, the
 * {@link MqttListenerContainerFactory} (listener threads are virtual threads when
 * {@code spring.threads.virtual.enabled} is {@code true}) and its configurer, the
 * {@link MqttListenerEndpointRegistry} of the listeners of every {@link MqttConnection}
 * (each on the connection it names), and the
 * default {@link MqttListenerErrorHandler}.
 *
 * @author mqttboot
 */
@Configuration(proxyBeanMethods = false)
class MqttAnnotationDrivenConfiguration {

	@Bean(name = MqttListenerAnnotationBeanPostProcessor.DEFAULT_BEAN_NAME)
	@ConditionalOnMissingBean(name = MqttListenerAnnotationBeanPostProcessor.DEFAULT_BEAN_NAME)
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static MqttListenerAnnotationBeanPostProcessor mqttListenerAnnotationBeanPostProcessor(
			@Qualifier(MqttMessageConverters.BEAN_NAME) ObjectProvider<MessageConverter> messageConverter) {
		MqttListenerAnnotationBeanPostProcessor postProcessor = new MqttListenerAnnotationBeanPostProcessor();
		postProcessor.setMessageConverter(messageConverter::getObject);
		return postProcessor;
	}

	@Bean(name = MqttListenerEndpointRegistry.DEFAULT_ERROR_HANDLER_BEAN_NAME)
	@ConditionalOnMissingBean(MqttListenerErrorHandler.class)
	LoggingMqttListenerErrorHandler mqttListenerErrorHandler() {
		return new LoggingMqttListenerErrorHandler();
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnThreading(Threading.PLATFORM)
	MqttListenerContainerFactoryConfigurer mqttListenerContainerFactoryConfigurer(BeanFactory beanFactory,
			ObjectProvider<MqttListenerErrorHandler> errorHandlers, ObjectProvider<MqttTemplate> templates,
			ObjectProvider<MqttObservations> observations) {
		return MqttObservations.observe(configurer(beanFactory, errorHandlers, templates), observations);
	}

	@Bean(name = "mqttListenerContainerFactoryConfigurer")
	@ConditionalOnMissingBean
	@ConditionalOnThreading(Threading.VIRTUAL)
	MqttListenerContainerFactoryConfigurer mqttListenerContainerFactoryConfigurerVirtualThreads(
			BeanFactory beanFactory, ObjectProvider<MqttListenerErrorHandler> errorHandlers,
			ObjectProvider<MqttTemplate> templates, ObjectProvider<MqttObservations> observations) {
		MqttListenerContainerFactoryConfigurer configurer = MqttObservations
			.observe(configurer(beanFactory, errorHandlers, templates), observations);
		SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor(MqttListenerContainerFactory.THREAD_NAME_PREFIX);
		executor.setVirtualThreads(true);
		configurer.setListenerTaskExecutor(executor);
		return configurer;
	}

	private static MqttListenerContainerFactoryConfigurer configurer(BeanFactory beanFactory,
			ObjectProvider<MqttListenerErrorHandler> errorHandlers, ObjectProvider<MqttTemplate> templates) {
		MqttListenerContainerFactoryConfigurer configurer = new MqttListenerContainerFactoryConfigurer();
		configurer.setErrorHandler(new ApplicationMqttListenerErrorHandler(beanFactory, errorHandlers));
		configurer.setReplyTemplates(new ConnectionTemplates(beanFactory, templates));
		return configurer;
	}

	@Bean(name = MqttListenerContainerFactory.DEFAULT_BEAN_NAME)
	@ConditionalOnMissingBean
	MqttListenerContainerFactory mqttListenerContainerFactory(MqttListenerContainerFactoryConfigurer configurer) {
		MqttListenerContainerFactory factory = new MqttListenerContainerFactory();
		configurer.configure(factory);
		return factory;
	}

	@Bean(name = MqttListenerEndpointRegistry.DEFAULT_BEAN_NAME)
	@ConditionalOnMissingBean
	@ConditionalOnSingleCandidate(MqttConnection.class)
	MqttListenerEndpointRegistry mqttListenerEndpointRegistry(MqttConnections connections,
			MqttListenerContainerFactory mqttListenerContainerFactory) {
		return new MqttListenerEndpointRegistry(connections, mqttListenerContainerFactory);
	}

}
