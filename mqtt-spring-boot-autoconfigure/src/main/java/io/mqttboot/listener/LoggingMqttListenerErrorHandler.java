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

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.messaging.Message;

/**
 * The default {@link MqttListenerErrorHandler}: logs one line at ERROR level with the
 * listener id, the topic, the target type and the cause, never the payload. The stack
 * trace of an exception thrown by a listener is logged at DEBUG level.
 *
 * @author mqttboot
 */
public class LoggingMqttListenerErrorHandler implements MqttListenerErrorHandler {

	private static final Log logger = LogFactory.getLog(LoggingMqttListenerErrorHandler.class);

	@Override
	public void handleError(Message<byte[]> message, MqttListenerExecutionFailedException exception) {
		if (!logger.isErrorEnabled()) {
			return;
		}
		String line = "MQTT listener '" + exception.getListenerId() + "' could not process a message from topic '"
				+ exception.getTopic() + "' (target type " + exception.getTargetType() + "): " + describe(exception);
		if (!exception.isConversionFailure() && logger.isDebugEnabled()) {
			logger.error(line, exception.getCause());
		}
		else {
			logger.error(line);
		}
	}

	// A conversion failure names the exception types only: a parser's message can quote
	// the payload.
	private static String describe(MqttListenerExecutionFailedException exception) {
		Throwable cause = exception.getCause();
		if (cause == null) {
			return exception.getMessage();
		}
		if (exception.isConversionFailure()) {
			StringBuilder types = new StringBuilder("payload not convertible (");
			Throwable current = cause;
			String separator = "";
			while (current != null) {
				types.append(separator).append(current.getClass().getName());
				separator = " caused by ";
				current = (current.getCause() != current) ? current.getCause() : null;
			}
			return types.append(')').toString();
		}
		// Not toString(): a MessagingException appends the failed message, headers included.
		return cause.getClass().getName() + ": " + cause.getMessage();
	}

}
