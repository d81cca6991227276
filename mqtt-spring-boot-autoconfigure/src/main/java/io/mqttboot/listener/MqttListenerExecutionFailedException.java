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

import org.jspecify.annotations.Nullable;

/**
 * Thrown, and given to the {@link MqttListenerErrorHandler}, when an
 * {@link MqttListener @MqttListener} method throws or its payload cannot be converted.
 * The message never includes the payload.
 *
 * @author mqttboot
 */
public class MqttListenerExecutionFailedException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String listenerId;

	private final String topic;

	private final String targetType;

	private final boolean conversionFailure;

	/**
	 * Create a new instance.
	 * @param listenerId the id of the listener
	 * @param topic the topic the message was published to
	 * @param targetType the type the payload was to be converted to
	 * @param conversionFailure whether the payload could not be converted (as opposed to
	 * the listener throwing)
	 * @param cause the cause
	 */
	public MqttListenerExecutionFailedException(String listenerId, String topic, String targetType,
			boolean conversionFailure, @Nullable Throwable cause) {
		super(((conversionFailure) ? "Payload of a message on topic '" + topic + "' could not be converted to "
				+ targetType + " for MQTT listener '" + listenerId + "'"
				: "MQTT listener '" + listenerId + "' failed on a message from topic '" + topic + "'"), cause);
		this.listenerId = listenerId;
		this.topic = topic;
		this.targetType = targetType;
		this.conversionFailure = conversionFailure;
	}

	/**
	 * Return the id of the listener.
	 * @return the listener id
	 */
	public String getListenerId() {
		return this.listenerId;
	}

	/**
	 * Return the topic the message was published to.
	 * @return the topic name
	 */
	public String getTopic() {
		return this.topic;
	}

	/**
	 * Return the type the payload was to be converted to, for example
	 * {@code com.example.Reading} or {@code byte[]}.
	 * @return the target type
	 */
	public String getTargetType() {
		return this.targetType;
	}

	/**
	 * Return whether the payload could not be converted to the target type (as opposed to
	 * the listener method throwing).
	 * @return whether this is a conversion failure
	 */
	public boolean isConversionFailure() {
		return this.conversionFailure;
	}

}
