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
import java.util.Map;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.mqttboot.observation.DefaultMqttListenerObservationConvention;
import io.mqttboot.observation.MqttListenerObservation;
import io.mqttboot.observation.MqttListenerObservationContext;
import io.mqttboot.observation.MqttListenerObservationConvention;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.messaging.handler.invocation.MethodArgumentResolutionException;
import org.springframework.messaging.support.GenericMessage;
import org.springframework.messaging.support.MessageHeaderAccessor;

/**
 * Invokes one listener method with an inbound message: spring-messaging resolves the
 * arguments, a non-null return value goes to the {@link ReplySender}, and a failure
 * (thrown by the method or by argument conversion) goes to the error handler. Nothing
 * escapes.
 *
 * @author mqttboot
 */
final class MqttMessageListenerAdapter {

	private static final Log logger = LogFactory.getLog(MqttListenerEndpointRegistry.class);

	private final MqttListenerEndpoint endpoint;

	private final InvocableHandlerMethod handlerMethod;

	private final MqttListenerErrorHandler errorHandler;

	private final ReplySender replySender;

	private final ObservationRegistry observationRegistry;

	private final @Nullable MqttListenerObservationConvention observationConvention;

	private final String targetType;

	// Whether the message can be passed as-is to the method's Message parameters,
	// without the argument resolvers (see messageIsProvidable).
	private final boolean provideMessage;

	MqttMessageListenerAdapter(MqttListenerEndpoint endpoint, InvocableHandlerMethod handlerMethod,
			MqttListenerErrorHandler errorHandler, ReplySender replySender) {
		this(endpoint, handlerMethod, errorHandler, replySender, ObservationRegistry.NOOP, null);
	}

	MqttMessageListenerAdapter(MqttListenerEndpoint endpoint, InvocableHandlerMethod handlerMethod,
			MqttListenerErrorHandler errorHandler, ReplySender replySender, ObservationRegistry observationRegistry,
			@Nullable MqttListenerObservationConvention observationConvention) {
		this.endpoint = endpoint;
		this.handlerMethod = handlerMethod;
		this.errorHandler = errorHandler;
		this.replySender = replySender;
		this.observationRegistry = observationRegistry;
		this.observationConvention = observationConvention;
		this.targetType = targetType(endpoint.method());
		this.provideMessage = messageIsProvidable(endpoint.method());
	}

	/**
	 * Invoke the listener.
	 * @param message the message
	 * @param topic the topic it was published to
	 * @param variables the values of the topic variables
	 * @return {@code false} if the invocation failed (and went to the error handler)
	 */
	boolean onMessage(Message<byte[]> message, String topic, Map<String, String> variables) {
		ObservationRegistry registry = this.observationRegistry;
		if (registry.isNoop()) {
			return invoke(message, topic, variables, null);
		}
		Observation observation = MqttListenerObservation.LISTENER.observation(this.observationConvention,
				DefaultMqttListenerObservationConvention.INSTANCE,
				() -> new MqttListenerObservationContext(this.endpoint.connection(), this.endpoint.id(), topic, message),
				registry);
		observation.start();
		// In scope: the error handler's logging and a reply's mqtt.publish continue the
		// trace
		try (Observation.Scope scope = observation.openScope()) {
			return invoke(message, topic, variables, observation);
		}
		finally {
			observation.stop();
		}
	}

	private boolean invoke(Message<byte[]> message, String topic, Map<String, String> variables,
			@Nullable Observation observation) {
		Object result;
		try {
			result = (this.provideMessage) ? this.handlerMethod.invoke(message, message)
					: this.handlerMethod.invoke(message);
		}
		catch (Throwable ex) {
			if (observation != null) {
				observation.error(ex);
			}
			handleError(message, topic, ex);
			return false;
		}
		if (result != null) {
			this.replySender.send(this.endpoint, message, result, variables);
		}
		return true;
	}

	private void handleError(Message<byte[]> message, String topic, Throwable ex) {
		boolean conversion = ex instanceof MessageConversionException
				|| ex instanceof MethodArgumentResolutionException;
		MqttListenerExecutionFailedException failure = new MqttListenerExecutionFailedException(this.endpoint.id(),
				topic, this.targetType, conversion, ex);
		try {
			this.errorHandler.handleError(message, failure);
		}
		catch (Throwable handlerFailure) {
			logger.warn("The error handler of MQTT listener '" + this.endpoint.id() + "' threw "
					+ handlerFailure.getClass().getName() + "; the message from topic '" + topic
					+ "' is acknowledged anyway", handlerFailure);
		}
	}

	/**
	 * Describe the type the payload is converted to.
	 * @param method the listener method
	 * @return the payload type, or {@code "none"}
	 */
	static String targetType(Method method) {
		for (int i = 0; i < method.getParameterCount(); i++) {
			MethodParameter parameter = new MethodParameter(method, i);
			Class<?> type = parameter.getParameterType();
			if (parameter.hasParameterAnnotation(Header.class) || parameter.hasParameterAnnotation(Headers.class)
					|| parameter.hasParameterAnnotation(TopicVariable.class) || type == MessageHeaders.class
					|| MessageHeaderAccessor.class.isAssignableFrom(type)) {
				continue;
			}
			ResolvableType resolvable = ResolvableType.forMethodParameter(parameter);
			if (Message.class.isAssignableFrom(type)) {
				ResolvableType payload = resolvable.as(Message.class).getGeneric(0);
				return (payload.resolve() != null) ? describe(payload) : "java.lang.Object";
			}
			return describe(resolvable);
		}
		return "none";
	}

	/**
	 * Whether spring-messaging would resolve every parameter that can hold the inbound
	 * message to the message itself: each is a {@code Message<byte[]>},
	 * {@code Message<?>} or {@code Message<Object>} without annotations, and no other
	 * parameter type (such as {@code Object}) accepts a message. Passing the message as a
	 * provided argument then skips the resolvers for those parameters.
	 * @param method the listener method
	 * @return whether the message can be provided as is
	 */
	static boolean messageIsProvidable(Method method) {
		boolean any = false;
		for (int i = 0; i < method.getParameterCount(); i++) {
			MethodParameter parameter = new MethodParameter(method, i);
			Class<?> type = parameter.getParameterType();
			if (!type.isAssignableFrom(GenericMessage.class)) {
				continue;
			}
			if (type != Message.class || parameter.hasParameterAnnotations()) {
				return false;
			}
			Class<?> payload = ListenerHandlerMethodFactory.payloadType(parameter.getGenericParameterType());
			if (payload != byte[].class && payload != Object.class) {
				return false;
			}
			any = true;
		}
		return any;
	}

	private static String describe(ResolvableType type) {
		@Nullable Class<?> resolved = type.resolve();
		return (resolved != null && !type.hasGenerics()) ? resolved.getTypeName() : type.toString();
	}

	String getTargetType() {
		return this.targetType;
	}

}
