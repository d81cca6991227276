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
package io.mqttboot.listener;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.mqttboot.connection.MqttConnection;
import io.mqttboot.core.MqttMessageConverters;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.MethodParameter;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.format.support.DefaultFormattingConversionService;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.handler.annotation.SendTo;
import org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory;
import org.springframework.messaging.handler.annotation.support.MessageHandlerMethodFactory;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Finds {@link MqttListener @MqttListener} methods on every bean (proxies included),
 * resolves and validates their attributes, and registers them with the
 * {@link MqttListenerEndpointRegistry} once all singletons exist. An invalid attribute
 * (a bad topic filter, QoS or {@link TopicVariable @TopicVariable}) fails startup with a
 * message naming the method.
 * <p>
 * Arguments are resolved by spring-messaging's {@link DefaultMessageHandlerMethodFactory}
 * with one more resolver, for {@code @TopicVariable}; payloads are converted by the
 * {@link #setMessageConverter message converter}.
 *
 * @author mqttboot
 */
public class MqttListenerAnnotationBeanPostProcessor
		implements BeanPostProcessor, SmartInitializingSingleton, BeanFactoryAware, Ordered {

	/**
	 * The name of the post-processor bean.
	 */
	public static final String DEFAULT_BEAN_NAME = "io.mqttboot.listener.internalMqttListenerAnnotationProcessor";

	private final Set<Class<?>> nonAnnotatedClasses = ConcurrentHashMap.newKeySet();

	private final List<MqttListenerEndpoint> pending = new ArrayList<>();

	private final Object monitor = new Object();

	private @Nullable BeanFactory beanFactory;

	private @Nullable MqttListenerEndpointRegistry registry;

	private @Nullable MessageHandlerMethodFactory handlerMethodFactory;

	private Supplier<? extends MessageConverter> messageConverter = MqttMessageConverters::create;

	private boolean initialized;

	/**
	 * Set the converter of the listeners' payloads. It is obtained once, when the first
	 * listener is registered (after all singletons exist), so that it may be a bean
	 * created after this post-processor. The auto-configuration sets the
	 * {@value MqttMessageConverters#BEAN_NAME} bean, which the template (and so the
	 * replies of listeners) uses too. Default: {@link MqttMessageConverters#create()}.
	 * @param messageConverter the supplier of the message converter
	 */
	public void setMessageConverter(Supplier<? extends MessageConverter> messageConverter) {
		Assert.notNull(messageConverter, "'messageConverter' must not be null");
		this.messageConverter = messageConverter;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) throws BeansException {
		this.beanFactory = beanFactory;
	}

	@Override
	public int getOrder() {
		return LOWEST_PRECEDENCE;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		if (this.nonAnnotatedClasses.contains(targetClass)) {
			return bean;
		}
		if (!AnnotationUtils.isCandidateClass(targetClass, MqttListener.class)) {
			this.nonAnnotatedClasses.add(targetClass);
			return bean;
		}
		Map<Method, Set<MqttListener>> annotatedMethods = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<Set<MqttListener>>) (method) -> {
					Set<MqttListener> listeners = AnnotatedElementUtils.getMergedRepeatableAnnotations(method,
							MqttListener.class, MqttListeners.class);
					return (listeners.isEmpty()) ? null : listeners;
				});
		if (annotatedMethods.isEmpty()) {
			this.nonAnnotatedClasses.add(targetClass);
			return bean;
		}
		annotatedMethods.forEach((method, listeners) -> {
			int index = 0;
			for (MqttListener listener : listeners) {
				register(createEndpoint(bean, beanName, method, listener, index++));
			}
		});
		return bean;
	}

	private void register(MqttListenerEndpoint endpoint) {
		synchronized (this.monitor) {
			if (this.initialized) {
				registry().registerEndpoint(endpoint, handlerMethodFactory());
			}
			else {
				this.pending.add(endpoint);
			}
		}
	}

	@Override
	public void afterSingletonsInstantiated() {
		synchronized (this.monitor) {
			this.initialized = true;
			if (this.pending.isEmpty()) {
				return;
			}
			MqttListenerEndpointRegistry registry = registry();
			MessageHandlerMethodFactory factory = handlerMethodFactory();
			for (MqttListenerEndpoint endpoint : this.pending) {
				registry.registerEndpoint(endpoint, factory);
			}
			this.pending.clear();
		}
	}

	private MqttListenerEndpointRegistry registry() {
		MqttListenerEndpointRegistry registry = this.registry;
		if (registry == null) {
			registry = (this.beanFactory != null)
					? this.beanFactory.getBeanProvider(MqttListenerEndpointRegistry.class).getIfUnique() : null;
			if (registry == null) {
				throw new IllegalStateException("@MqttListener methods need an MqttListenerEndpointRegistry bean, "
						+ "which is auto-configured when there is exactly one MQTT ClientManager bean (is Paho on "
						+ "the class path?); with several client managers, define the registry yourself");
			}
			this.registry = registry;
		}
		return registry;
	}

	private MessageHandlerMethodFactory handlerMethodFactory() {
		MessageHandlerMethodFactory factory = this.handlerMethodFactory;
		if (factory == null) {
			DefaultFormattingConversionService conversionService = new DefaultFormattingConversionService();
			DefaultMessageHandlerMethodFactory defaultFactory = new ListenerHandlerMethodFactory(
					this.messageConverter.get());
			if (this.beanFactory != null) {
				defaultFactory.setBeanFactory(this.beanFactory);
			}
			defaultFactory.setConversionService(conversionService);
			defaultFactory.setCustomArgumentResolvers(
					List.of(new TopicVariableMethodArgumentResolver(conversionService)));
			defaultFactory.afterPropertiesSet();
			factory = defaultFactory;
			this.handlerMethodFactory = factory;
		}
		return factory;
	}

	private MqttListenerEndpoint createEndpoint(Object bean, String beanName, Method method, MqttListener listener,
			int index) {
		String description = ClassUtils.getQualifiedMethodName(method);
		Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
		String id = resolve(listener.id());
		if (!StringUtils.hasText(id)) {
			id = beanName + "." + method.getName() + ((index > 0) ? "#" + index : "");
		}
		String group = resolve(listener.group());
		if (listener.topics().length == 0) {
			throw invalid(description, "'topics' must name at least one topic filter",
					"Add a topic filter, for example topics = \"sensors/+/temperature\"");
		}
		List<TopicFilter> topics = new ArrayList<>();
		List<String> declared = new ArrayList<>();
		for (String topic : listener.topics()) {
			String resolved = resolve(topic);
			declared.add(resolved);
			try {
				topics.add(TopicFilter.parse(resolved, StringUtils.hasText(group) ? group : null));
			}
			catch (IllegalArgumentException ex) {
				throw invalid(description, "invalid topic filter '" + resolved + "': " + ex.getMessage(),
						"Correct the filter: '+' stands for one whole level, '#' for the rest of the topic and only "
								+ "as the last level, {name} for a level bound to a @TopicVariable(\"name\") parameter");
			}
		}
		if (listener.qos() < 0 || listener.qos() > 2) {
			throw invalid(description, "qos must be 0, 1 or 2, not " + listener.qos(), "Set qos to 0, 1 or 2");
		}
		if (listener.retainHandling() < 0 || listener.retainHandling() > 2) {
			throw invalid(description, "retainHandling must be 0, 1 or 2, not " + listener.retainHandling(),
					"Set retainHandling to 0 (send retained messages on every subscribe), 1 (on a new subscription) or "
							+ "2 (never)");
		}
		if (listener.noLocal()) {
			for (TopicFilter topic : topics) {
				if (topic.isShared()) {
					throw invalid(description, "noLocal is not allowed on the shared subscription '" + topic
							+ "' (MQTT 5 forbids it)", "Remove noLocal, or the share group");
				}
			}
		}
		checkTopicVariables(method, description, topics, declared);
		String errorHandler = resolve(listener.errorHandler());
		return new MqttListenerEndpoint(id, bean, invocable, topics, listener.qos(), listener.noLocal(),
				listener.retainAsPublished(), listener.retainHandling(), autoStartup(listener, description),
				StringUtils.hasText(errorHandler) ? errorHandler : null, sendTo(method, description),
				concurrency(listener, description), connection(listener));
	}

	private String connection(MqttListener listener) {
		String connection = resolve(listener.connection()).trim();
		return StringUtils.hasText(connection) ? connection : MqttConnection.DEFAULT_NAME;
	}

	private void checkTopicVariables(Method method, String description, List<TopicFilter> topics,
			List<String> declared) {
		for (int i = 0; i < method.getParameterCount(); i++) {
			TopicVariable variable = new MethodParameter(method, i).getParameterAnnotation(TopicVariable.class);
			if (variable == null) {
				continue;
			}
			for (int t = 0; t < topics.size(); t++) {
				TopicFilter topic = topics.get(t);
				if (!topic.getVariableNames().contains(variable.value())) {
					throw invalid(description, "@TopicVariable(\"" + variable.value() + "\") is not a {"
							+ variable.value() + "} level of the topic filter '" + declared.get(t) + "' (variables: "
							+ topic.getVariableNames() + ")",
							"Name the variable as a {" + variable.value() + "} level in every topic filter of the "
									+ "method, or bind another level");
				}
			}
		}
	}

	private boolean autoStartup(MqttListener listener, String description) {
		String value = resolve(listener.autoStartup()).trim();
		if (value.isEmpty() || value.equalsIgnoreCase("true")) {
			return true;
		}
		if (value.equalsIgnoreCase("false")) {
			return false;
		}
		throw invalid(description, "autoStartup must be 'true' or 'false', not '" + value + "'",
				"Set autoStartup to \"true\" or \"false\" (a placeholder that resolves to one of them)");
	}

	private int concurrency(MqttListener listener, String description) {
		String value = resolve(listener.concurrency()).trim();
		if (value.isEmpty()) {
			return 1;
		}
		try {
			int concurrency = Integer.parseInt(value);
			if (concurrency > 0) {
				return concurrency;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw invalid(description, "concurrency must be a positive integer, not '" + value + "'",
				"Set concurrency to the number of messages to handle at once, for example \"4\"");
	}

	private @Nullable String sendTo(Method method, String description) {
		SendTo sendTo = AnnotatedElementUtils.findMergedAnnotation(method, SendTo.class);
		if (sendTo == null) {
			return null;
		}
		if (sendTo.value().length != 1 || !StringUtils.hasText(sendTo.value()[0])) {
			throw invalid(description, "@SendTo must name exactly one topic", "Name one reply topic in @SendTo");
		}
		String topic = resolve(sendTo.value()[0]);
		if (topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
			throw invalid(description, "the @SendTo topic '" + topic + "' must not contain wildcards",
					"Use a topic name in @SendTo; {name} levels take the request's topic variables");
		}
		return topic;
	}

	private String resolve(String value) {
		if (this.beanFactory instanceof ConfigurableBeanFactory configurableBeanFactory && value.contains("${")) {
			String resolved = configurableBeanFactory.resolveEmbeddedValue(value);
			return (resolved != null) ? resolved : value;
		}
		return value;
	}

	private static MqttListenerDefinitionException invalid(String method, String reason, String action) {
		return new MqttListenerDefinitionException(method, "@MqttListener on " + method + ": " + reason, action);
	}

}
