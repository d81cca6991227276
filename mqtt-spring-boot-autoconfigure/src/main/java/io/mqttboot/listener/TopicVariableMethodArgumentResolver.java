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

import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.core.convert.ConversionService;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHandlingException;
import org.springframework.messaging.handler.annotation.support.AbstractNamedValueMethodArgumentResolver;
import org.springframework.util.Assert;

/**
 * Resolves {@link TopicVariable @TopicVariable} parameters from the topic variables the
 * listener container puts in a message header, converting them to the parameter type.
 *
 * @author mqttboot
 */
final class TopicVariableMethodArgumentResolver extends AbstractNamedValueMethodArgumentResolver {

	/**
	 * The header holding the {@code Map<String, String>} of topic variables.
	 */
	static final String VARIABLES_HEADER = "mqttboot_topicVariables";

	TopicVariableMethodArgumentResolver(ConversionService conversionService) {
		super(conversionService, null);
	}

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return parameter.hasParameterAnnotation(TopicVariable.class);
	}

	@Override
	protected NamedValueInfo createNamedValueInfo(MethodParameter parameter) {
		TopicVariable annotation = parameter.getParameterAnnotation(TopicVariable.class);
		Assert.state(annotation != null, "No @TopicVariable annotation");
		return new TopicVariableNamedValueInfo(annotation.value());
	}

	@Override
	protected @Nullable Object resolveArgumentInternal(MethodParameter parameter, Message<?> message, String name) {
		Map<?, ?> variables = message.getHeaders().get(VARIABLES_HEADER, Map.class);
		return (variables != null) ? variables.get(name) : null;
	}

	@Override
	protected void handleMissingValue(String name, MethodParameter parameter, Message<?> message) {
		throw new MessageHandlingException(message,
				"Missing topic variable '" + name + "' for parameter " + parameter.getParameterIndex() + " of "
						+ parameter.getExecutable().toGenericString());
	}

	private static final class TopicVariableNamedValueInfo extends NamedValueInfo {

		private TopicVariableNamedValueInfo(String name) {
			super(name, true, null);
		}

	}

}
