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

import java.util.function.Function;

import io.micrometer.observation.ObservationRegistry;
import io.mqttboot.core.MqttTemplate;
import io.mqttboot.observation.MqttListenerObservationConvention;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.TaskExecutor;
import org.springframework.messaging.handler.annotation.support.MessageHandlerMethodFactory;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.util.Assert;

/**
 * Builds the container of each {@link MqttListener @MqttListener}: its invocable handler
 * method, its error handler, the publishing of its return values, and the serial lanes
 * its messages are processed on (as many as its {@link MqttListener#concurrency()
 * concurrency}; messages of one topic always on the same lane, in order).
 * <p>
 * Each lane keeps one thread of the {@link #setTaskExecutor(TaskExecutor) task
 * executor} while its listener runs, so the executor must give every task a thread of
 * its own at once, as a {@link SimpleAsyncTaskExecutor} does (a bounded pool would leave
 * the lanes beyond its size without a thread). Spring Boot's auto-configuration gives
 * one with virtual threads when {@code spring.threads.virtual.enabled} is {@code true}
 * and with platform threads otherwise, named {@code mqtt-listener-...}.
 *
 * @author mqttboot
 * @see MqttListenerEndpointRegistry
 */
public class MqttListenerContainerFactory implements BeanFactoryAware {

	/**
	 * The name of the container factory bean.
	 */
	public static final String DEFAULT_BEAN_NAME = "mqttListenerContainerFactory";

	/**
	 * The prefix of the names of listener threads.
	 */
	public static final String THREAD_NAME_PREFIX = "mqtt-listener-";

	private TaskExecutor taskExecutor = platformThreads();

	private MqttListenerErrorHandler errorHandler = new LoggingMqttListenerErrorHandler();

	private ReplySender replySender = new ReplySender((connection) -> null);

	private @Nullable MessageHandlerMethodFactory messageHandlerMethodFactory;

	private @Nullable BeanFactory beanFactory;

	private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

	private @Nullable MqttListenerObservationConvention observationConvention;

	/**
	 * Create a factory with the defaults: daemon platform threads, an error handler that
	 * logs, no reply template.
	 */
	public MqttListenerContainerFactory() {
	}

	/**
	 * Set the executor the listeners' lanes take their threads from. Default: a
	 * {@link SimpleAsyncTaskExecutor} with daemon platform threads named
	 * {@code mqtt-listener-...}.
	 * @param taskExecutor the task executor
	 */
	public void setTaskExecutor(TaskExecutor taskExecutor) {
		Assert.notNull(taskExecutor, "'taskExecutor' must not be null");
		this.taskExecutor = taskExecutor;
	}

	/**
	 * Set the error handler of the listeners that name none in
	 * {@link MqttListener#errorHandler()}. Default: one that logs one line.
	 * @param errorHandler the error handler
	 */
	public void setErrorHandler(MqttListenerErrorHandler errorHandler) {
		Assert.notNull(errorHandler, "'errorHandler' must not be null");
		this.errorHandler = errorHandler;
	}

	/**
	 * Set the templates that publish the return values of listeners, each on the
	 * listener's connection, looked up when a listener returns a value. Default: none,
	 * return values are dropped with a warning.
	 * @param replyTemplates the template of a connection by its name, or {@code null} if
	 * there is none
	 */
	public void setReplyTemplates(Function<String, ? extends @Nullable MqttTemplate> replyTemplates) {
		Assert.notNull(replyTemplates, "'replyTemplates' must not be null");
		this.replySender = new ReplySender(replyTemplates);
	}

	/**
	 * Set the registry of the {@code mqtt.listener} observations of the listeners it
	 * creates. Default {@link ObservationRegistry#NOOP}: no observation.
	 * @param observationRegistry the observation registry
	 */
	public void setObservationRegistry(ObservationRegistry observationRegistry) {
		Assert.notNull(observationRegistry, "'observationRegistry' must not be null");
		this.observationRegistry = observationRegistry;
	}

	/**
	 * Set the convention of the {@code mqtt.listener} observations, instead of the
	 * {@link io.mqttboot.observation.DefaultMqttListenerObservationConvention default
	 * one}.
	 * @param observationConvention the convention, or {@code null} for the default one
	 */
	public void setObservationConvention(@Nullable MqttListenerObservationConvention observationConvention) {
		this.observationConvention = observationConvention;
	}

	/**
	 * Set the factory of the listeners' invocable handler methods, which resolves their
	 * arguments. Default: the one of the {@link MqttListenerAnnotationBeanPostProcessor}
	 * (spring-messaging's, with the listeners' message converters and
	 * {@link TopicVariable @TopicVariable}).
	 * @param messageHandlerMethodFactory the message handler method factory
	 */
	public void setMessageHandlerMethodFactory(MessageHandlerMethodFactory messageHandlerMethodFactory) {
		Assert.notNull(messageHandlerMethodFactory, "'messageHandlerMethodFactory' must not be null");
		this.messageHandlerMethodFactory = messageHandlerMethodFactory;
	}

	/**
	 * Set the bean factory the error handlers named by listeners are looked up in.
	 * @param beanFactory the bean factory
	 */
	@Override
	public void setBeanFactory(BeanFactory beanFactory) throws BeansException {
		this.beanFactory = beanFactory;
	}

	void setBeanFactoryIfAbsent(BeanFactory beanFactory) {
		if (this.beanFactory == null) {
			this.beanFactory = beanFactory;
		}
	}

	/**
	 * Build the container of a listener. Its lanes start with the container.
	 * @param endpoint the listener
	 * @param defaultHandlerMethodFactory the handler method factory to use unless one was
	 * {@link #setMessageHandlerMethodFactory set}
	 * @return the container
	 */
	ListenerContainer createContainer(MqttListenerEndpoint endpoint,
			MessageHandlerMethodFactory defaultHandlerMethodFactory) {
		MqttListenerErrorHandler errorHandler = errorHandler(endpoint);
		MessageHandlerMethodFactory handlerMethodFactory = (this.messageHandlerMethodFactory != null)
				? this.messageHandlerMethodFactory : defaultHandlerMethodFactory;
		InvocableHandlerMethod handlerMethod = handlerMethodFactory.createInvocableHandlerMethod(endpoint.bean(),
				endpoint.method());
		MqttMessageListenerAdapter adapter = new MqttMessageListenerAdapter(endpoint, handlerMethod, errorHandler,
				this.replySender, this.observationRegistry, this.observationConvention);
		SerialLanes lanes = new SerialLanes(this.taskExecutor, THREAD_NAME_PREFIX + endpoint.id(),
				endpoint.concurrency());
		return new ListenerContainer(endpoint, adapter, lanes);
	}

	// A thread per task, so the lanes never wait for one; daemon threads, so that a
	// listener that ignores the interrupt at shutdown cannot keep the JVM alive
	private static TaskExecutor platformThreads() {
		SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor(THREAD_NAME_PREFIX);
		executor.setDaemon(true);
		return executor;
	}

	private MqttListenerErrorHandler errorHandler(MqttListenerEndpoint endpoint) {
		String name = endpoint.errorHandlerBeanName();
		if (name == null) {
			return this.errorHandler;
		}
		Assert.state(this.beanFactory != null, "No BeanFactory to look up error handler beans in");
		try {
			return this.beanFactory.getBean(name, MqttListenerErrorHandler.class);
		}
		catch (NoSuchBeanDefinitionException ex) {
			throw new MqttListenerDefinitionException(endpoint.describeMethod(), "@MqttListener '" + endpoint.id()
					+ "' on " + endpoint.describeMethod() + " names the error handler '" + name
					+ "', but there is no MqttListenerErrorHandler bean of that name",
					"Define an MqttListenerErrorHandler bean named '" + name + "', or correct errorHandler", ex);
		}
	}

}
