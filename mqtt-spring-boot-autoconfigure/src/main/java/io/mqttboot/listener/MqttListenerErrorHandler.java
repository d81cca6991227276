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

import org.springframework.messaging.Message;

/**
 * Handles what an {@link MqttListener @MqttListener} could not: an exception thrown by
 * the method, or a payload that could not be converted to its parameter type. The
 * subscription and the connection carry on; the message is acknowledged once the handler
 * returned (or threw).
 * <p>
 * With the auto-configuration, an application's handler bean handles the errors of every
 * listener (of several, the one named {@code mqttListenerErrorHandler} or the primary
 * one; without any, a {@link LoggingMqttListenerErrorHandler}); a listener can name
 * another bean in {@link MqttListener#errorHandler()}.
 *
 * @author mqttboot
 */
@FunctionalInterface
public interface MqttListenerErrorHandler {

	/**
	 * Handle a failed message.
	 * @param message the inbound message; its payload is the raw {@code byte[]}, its
	 * headers are the {@code MqttHeaders}
	 * @param exception the failure, with the listener id, the topic and the target type
	 */
	void handleError(Message<byte[]> message, MqttListenerExecutionFailedException exception);

}
