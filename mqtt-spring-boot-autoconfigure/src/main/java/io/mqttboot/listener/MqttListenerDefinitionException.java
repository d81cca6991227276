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

import org.springframework.beans.factory.BeanInitializationException;

/**
 * An {@link MqttListener @MqttListener} that cannot work as declared: an invalid topic
 * filter, a {@link TopicVariable @TopicVariable} that names no level, an unknown
 * connection or error handler, two listeners with one id. Thrown at startup; Spring
 * Boot's failure analysis shows the method, the problem and what to change, without a
 * stack trace.
 *
 * @author mqttboot
 */
public class MqttListenerDefinitionException extends BeanInitializationException {

	private final String method;

	private final String action;

	/**
	 * Create a new exception.
	 * @param method the qualified name of the listener method
	 * @param message what is wrong, naming the method
	 * @param action what to change
	 */
	public MqttListenerDefinitionException(String method, String message, String action) {
		super(message);
		this.method = method;
		this.action = action;
	}

	/**
	 * Create a new exception with a cause.
	 * @param method the qualified name of the listener method
	 * @param message what is wrong, naming the method
	 * @param action what to change
	 * @param cause the cause
	 */
	public MqttListenerDefinitionException(String method, String message, String action, Throwable cause) {
		super(message, cause);
		this.method = method;
		this.action = action;
	}

	/**
	 * Return the qualified name of the listener method.
	 * @return the method
	 */
	public String getMethod() {
		return this.method;
	}

	/**
	 * Return what to change.
	 * @return the action
	 */
	public String getAction() {
		return this.action;
	}

}
