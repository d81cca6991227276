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

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.mqttboot.core.MqttMessageConverters;
import org.junit.jupiter.api.Test;

import org.springframework.messaging.Message;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ListenerHandlerMethodFactory}: {@code Message<T>} parameters of
 * different {@code T} resolved as spring-messaging does, with the payload type cached.
 *
 * @author mqttboot
 */
class ListenerHandlerMethodFactoryTests {

	private final ListenerHandlerMethodFactory factory = new ListenerHandlerMethodFactory(
			MqttMessageConverters.create());

	private final Target target = new Target();

	ListenerHandlerMethodFactoryTests() {
		this.factory.afterPropertiesSet();
	}

	@Test
	void resolvesMessageParametersOfDifferentPayloadTypesEveryTime() throws Exception {
		Message<byte[]> message = MessageBuilder.withPayload("21.5".getBytes(StandardCharsets.UTF_8)).build();
		for (int i = 0; i < 3; i++) {
			invoke("bytes", message);
			invoke("text", message);
			invoke("number", message);
			invoke("any", message);
		}
		assertThat(this.target.received).containsExactly("bytes:21.5", "text:21.5", "number:21.5", "any:21.5",
				"bytes:21.5", "text:21.5", "number:21.5", "any:21.5", "bytes:21.5", "text:21.5", "number:21.5",
				"any:21.5");
	}

	@Test
	void anEmptyPayloadForAConvertedTypeStillFailsAsConversion() {
		Message<byte[]> empty = MessageBuilder.withPayload(new byte[0]).build();
		assertThatExceptionOfType(MessageConversionException.class).isThrownBy(() -> invoke("number", empty));
	}

	private void invoke(String methodName, Message<byte[]> message) throws Exception {
		InvocableHandlerMethod method = this.factory.createInvocableHandlerMethod(this.target,
				ReflectionUtils.findMethod(Target.class, methodName, Message.class));
		method.invoke(message);
	}

	static class Target {

		final List<String> received = new ArrayList<>();

		public void bytes(Message<byte[]> message) {
			this.received.add("bytes:" + new String(message.getPayload(), StandardCharsets.UTF_8));
		}

		public void text(Message<String> message) {
			this.received.add("text:" + message.getPayload());
		}

		public void number(Message<Double> message) {
			this.received.add("number:" + message.getPayload());
		}

		public void any(Message<?> message) {
			this.received.add("any:" + new String((byte[]) message.getPayload(), StandardCharsets.UTF_8));
		}

	}

}
