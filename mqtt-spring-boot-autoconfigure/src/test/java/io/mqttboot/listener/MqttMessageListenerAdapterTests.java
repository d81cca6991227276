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

import org.junit.jupiter.api.Test;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MqttMessageListenerAdapter#messageIsProvidable}: the message is
 * passed as is only where spring-messaging would resolve it to itself.
 *
 * @author mqttboot
 */
class MqttMessageListenerAdapterTests {

	@Test
	void messageParametersWhosePayloadIsTheBytesTakeTheMessageAsIs() {
		assertThat(providable("bytes")).isTrue();
		assertThat(providable("wildcard")).isTrue();
		assertThat(providable("raw")).isTrue();
		assertThat(providable("object")).isTrue();
		assertThat(providable("bytesAndHeader")).isTrue();
	}

	@Test
	void convertedPayloadsAnnotatedOrOtherParametersGoThroughTheResolvers() {
		assertThat(providable("text")).isFalse();
		assertThat(providable("record")).isFalse();
		assertThat(providable("annotated")).isFalse();
		assertThat(providable("objectParameter")).isFalse();
		assertThat(providable("bytesAndObject")).isFalse();
		assertThat(providable("payloadOnly")).isFalse();
		assertThat(providable("headersOnly")).isFalse();
	}

	private static boolean providable(String name) {
		for (Method method : ReflectionUtils.getDeclaredMethods(Listeners.class)) {
			if (method.getName().equals(name)) {
				return MqttMessageListenerAdapter.messageIsProvidable(method);
			}
		}
		throw new IllegalArgumentException(name);
	}

	@SuppressWarnings({ "rawtypes", "unused" })
	static class Listeners {

		void bytes(Message<byte[]> message) {
		}

		void wildcard(Message<?> message) {
		}

		void raw(Message message) {
		}

		void object(Message<Object> message) {
		}

		void bytesAndHeader(Message<byte[]> message, @Header("mqtt_receivedTopic") String topic) {
		}

		void text(Message<String> message) {
		}

		void record(Message<Map<String, Object>> message) {
		}

		void annotated(@Payload(required = false) Message<byte[]> message) {
		}

		void objectParameter(Object payload) {
		}

		void bytesAndObject(Message<byte[]> message, Object other) {
		}

		void payloadOnly(byte[] payload) {
		}

		void headersOnly(MessageHeaders headers) {
		}

	}

}
