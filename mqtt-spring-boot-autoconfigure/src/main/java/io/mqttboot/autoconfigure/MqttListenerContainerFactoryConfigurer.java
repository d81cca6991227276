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

import java.util.function.Function;

import io.micrometer.observation.ObservationRegistry;
import io.mqttboot.core.MqttTemplate;
import io.mqttboot.listener.MqttListenerContainerFactory;
import io.mqttboot.listener.MqttListenerErrorHandler;
import io.mqttboot.observation.MqttListenerObservationConvention;
import org.jspecify.annotations.Nullable;

import org.springframework.core.task.TaskExecutor;
import org.springframework.util.Assert;

/**
 * Configures a {@link MqttListenerContainerFactory} with the settings of the
 * auto-configuration: the listener task executor (virtual threads when
 * {@code spring.threads.virtual.enabled} is {@code true}), the application's default
 * error handler and the {@link MqttTemplate} that publishes return values. Inject it to
 * configure a second factory the same way.
 *
 * @author mqttboot
 */
public class MqttListenerContainerFactoryConfigurer {

	private @Nullable TaskExecutor listenerTaskExecutor;

	private @Nullable MqttListenerErrorHandler errorHandler;

	private @Nullable Function<String, ? extends @Nullable MqttTemplate> replyTemplates;

	private @Nullable ObservationRegistry observationRegistry;

	private @Nullable MqttListenerObservationConvention observationConvention;

	/**
	 * Create a configurer that sets nothing until given its settings.
	 */
	public MqttListenerContainerFactoryConfigurer() {
	}

	/**
	 * Set the executor the listener threads come from.
	 * @param listenerTaskExecutor the executor, or {@code null} for the factory's default
	 */
	public void setListenerTaskExecutor(@Nullable TaskExecutor listenerTaskExecutor) {
		this.listenerTaskExecutor = listenerTaskExecutor;
	}

	/**
	 * Set the error handler of listeners that name none.
	 * @param errorHandler the error handler, or {@code null} for the factory's default
	 */
	public void setErrorHandler(@Nullable MqttListenerErrorHandler errorHandler) {
		this.errorHandler = errorHandler;
	}

	/**
	 * Set the templates that publish the return values of listeners on their
	 * connections.
	 * @param replyTemplates the template of a connection by its name, or {@code null}
	 * for none
	 */
	public void setReplyTemplates(@Nullable Function<String, ? extends @Nullable MqttTemplate> replyTemplates) {
		this.replyTemplates = replyTemplates;
	}

	/**
	 * Set the registry of the listeners' {@code mqtt.listener} observations.
	 * @param observationRegistry the registry, or {@code null} for the factory's default
	 * (none)
	 */
	public void setObservationRegistry(@Nullable ObservationRegistry observationRegistry) {
		this.observationRegistry = observationRegistry;
	}

	/**
	 * Set the convention of the listeners' {@code mqtt.listener} observations.
	 * @param observationConvention the convention, or {@code null} for the default one
	 */
	public void setObservationConvention(@Nullable MqttListenerObservationConvention observationConvention) {
		this.observationConvention = observationConvention;
	}

	/**
	 * Configure a container factory.
	 * @param factory the factory
	 */
	public void configure(MqttListenerContainerFactory factory) {
		Assert.notNull(factory, "'factory' must not be null");
		if (this.listenerTaskExecutor != null) {
			factory.setTaskExecutor(this.listenerTaskExecutor);
		}
		if (this.errorHandler != null) {
			factory.setErrorHandler(this.errorHandler);
		}
		if (this.replyTemplates != null) {
			factory.setReplyTemplates(this.replyTemplates);
		}
		if (this.observationRegistry != null) {
			factory.setObservationRegistry(this.observationRegistry);
		}
		if (this.observationConvention != null) {
			factory.setObservationConvention(this.observationConvention);
		}
	}

}
