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

import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory;
import org.springframework.messaging.handler.annotation.support.MessageMethodArgumentResolver;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;

/**
 * spring-messaging's {@link DefaultMessageHandlerMethodFactory} with the listeners'
 * message converter and a {@code Message<T>} argument resolver that works out the
 * payload type {@code T} once per parameter instead of once per message.
 *
 * @author mqttboot
 */
final class ListenerHandlerMethodFactory extends DefaultMessageHandlerMethodFactory {

	private final MessageConverter messageConverter;

	ListenerHandlerMethodFactory(MessageConverter messageConverter) {
		this.messageConverter = messageConverter;
		setMessageConverter(messageConverter);
	}

	@Override
	protected List<HandlerMethodArgumentResolver> initArgumentResolvers() {
		return super.initArgumentResolvers().stream()
			.map((resolver) -> (resolver.getClass() == MessageMethodArgumentResolver.class)
					? new PayloadTypeCachingResolver(this.messageConverter) : resolver)
			.toList();
	}

	/**
	 * Return the payload type {@code T} of a {@code Message<T>} parameter type, as
	 * spring-messaging works it out ({@code Object} for {@code Message<?>} and a raw
	 * {@code Message}).
	 * @param parameterType the generic parameter type
	 * @return the payload type
	 */
	static Class<?> payloadType(Type parameterType) {
		return ResolvableType.forType(parameterType).as(Message.class).getGeneric().toClass();
	}

	/**
	 * Resolves {@code Message<T>} parameters like {@link MessageMethodArgumentResolver},
	 * with the payload type of each parameter worked out once.
	 */
	static final class PayloadTypeCachingResolver extends MessageMethodArgumentResolver {

		private final Map<Type, Class<?>> payloadTypes = new ConcurrentHashMap<>();

		PayloadTypeCachingResolver(MessageConverter converter) {
			super(converter);
		}

		@Override
		protected Class<?> getPayloadType(MethodParameter parameter, Message<?> message) {
			return this.payloadTypes.computeIfAbsent(parameter.getGenericParameterType(),
					ListenerHandlerMethodFactory::payloadType);
		}

	}

}
