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

import io.mqttboot.listener.LoggingMqttListenerErrorHandler;
import io.mqttboot.listener.MqttListenerEndpointRegistry;
import io.mqttboot.listener.MqttListenerErrorHandler;
import io.mqttboot.listener.MqttListenerExecutionFailedException;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.messaging.Message;
import org.springframework.util.function.SingletonSupplier;

/**
 * The error handler of listeners that name none: the handler bean named
 * {@code mqttListenerErrorHandler}, else the only (or primary) handler bean, else one
 * that logs. It is looked up when a listener first fails, not when the registry is
 * created, because a handler may depend on the registry (to stop a listener, for
 * example).
 *
 * @author mqttboot
 */
final class ApplicationMqttListenerErrorHandler implements MqttListenerErrorHandler {

	private final SingletonSupplier<MqttListenerErrorHandler> delegate;

	ApplicationMqttListenerErrorHandler(BeanFactory beanFactory, ObjectProvider<MqttListenerErrorHandler> handlers) {
		this.delegate = SingletonSupplier.of(() -> resolve(beanFactory, handlers));
	}

	@Override
	public void handleError(Message<byte[]> message, MqttListenerExecutionFailedException exception) {
		getDelegate().handleError(message, exception);
	}

	MqttListenerErrorHandler getDelegate() {
		return this.delegate.obtain();
	}

	// Of several handlers the others may be meant for single listeners only
	private static MqttListenerErrorHandler resolve(BeanFactory beanFactory,
			ObjectProvider<MqttListenerErrorHandler> handlers) {
		if (beanFactory.containsBean(MqttListenerEndpointRegistry.DEFAULT_ERROR_HANDLER_BEAN_NAME)) {
			return beanFactory.getBean(MqttListenerEndpointRegistry.DEFAULT_ERROR_HANDLER_BEAN_NAME,
					MqttListenerErrorHandler.class);
		}
		return handlers.getIfUnique(LoggingMqttListenerErrorHandler::new);
	}

}
