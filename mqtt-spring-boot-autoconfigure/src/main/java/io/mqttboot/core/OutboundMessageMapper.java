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
package io.mqttboot.core;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.mqttboot.connection.MqttOutboundMessage;
import io.mqttboot.connection.MqttProtocolVersion;
import org.jspecify.annotations.Nullable;

import org.springframework.integration.mqtt.support.MqttHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.util.Assert;
import org.springframework.util.MimeType;

/**
 * Turns what is given to the {@link MqttTemplate} (a topic and a payload, or a Spring
 * {@link Message} with {@link MqttHeaders}) into a validated {@link MqttOutboundMessage}.
 * Every check happens here, before anything is sent: a topic name must be non-empty,
 * without wildcards, the QoS 0 to 2, and MQTT 5 properties need an MQTT 5 connection.
 * <p>
 * A {@code byte[]} payload is sent as is and a {@code String} as UTF-8, without the
 * message converter (the publish hot path); any other payload is written by the
 * {@link MessageConverter} (see {@link MqttMessageConverters}), which also reads typed
 * responses.
 *
 * @author mqttboot
 */
final class OutboundMessageMapper {

	private static final long MAX_MESSAGE_EXPIRY = 0xFFFFFFFFL;

	private static final int MAX_TOPIC_BYTES = 65535;

	private static final Set<String> NOT_USER_PROPERTIES = Set.of(MessageHeaders.ID, MessageHeaders.TIMESTAMP,
			MessageHeaders.CONTENT_TYPE, MessageHeaders.REPLY_CHANNEL, MessageHeaders.ERROR_CHANNEL);

	private final MqttProtocolVersion protocolVersion;

	private final MessageConverter converter;

	OutboundMessageMapper(MqttProtocolVersion protocolVersion, MessageConverter converter) {
		Assert.notNull(converter, "'converter' must not be null");
		this.protocolVersion = protocolVersion;
		this.converter = converter;
	}

	MessageConverter getConverter() {
		return this.converter;
	}

	MqttOutboundMessage map(String topic, @Nullable Object payload, int qos, boolean retain) {
		validateTopic(topic, "topic");
		validateQos(qos);
		Payload converted = convert(payload, null);
		return finish(new MqttOutboundMessage(topic, converted.bytes(), qos, retain, null, converted.contentType(),
				converted.utf8(), null, null, Map.of()));
	}

	MqttOutboundMessage map(Message<?> message, int defaultQos, boolean defaultRetain) {
		MessageHeaders headers = message.getHeaders();
		Object topicHeader = headers.get(MqttHeaders.TOPIC);
		if (topicHeader == null) {
			throw new IllegalArgumentException("The message has no '" + MqttHeaders.TOPIC
					+ "' header: set MqttHeaders.TOPIC to the topic to publish to");
		}
		String topic = string(MqttHeaders.TOPIC, topicHeader);
		validateTopic(topic, "topic");
		int qos = qos(headers.get(MqttHeaders.QOS), defaultQos);
		boolean retain = retain(headers.get(MqttHeaders.RETAINED), defaultRetain);
		Payload converted = convert(message.getPayload(), headers);
		Object contentTypeHeader = headers.get(MessageHeaders.CONTENT_TYPE);
		String contentType = (contentTypeHeader != null) ? contentType(contentTypeHeader) : converted.contentType();
		Object responseTopicHeader = headers.get(MqttHeaders.RESPONSE_TOPIC);
		String responseTopic = (responseTopicHeader != null) ? string(MqttHeaders.RESPONSE_TOPIC, responseTopicHeader)
				: null;
		if (responseTopic != null) {
			validateTopic(responseTopic, "response topic");
		}
		Object correlationHeader = headers.get(MqttHeaders.CORRELATION_DATA);
		byte[] correlationData = (correlationHeader != null) ? correlationData(correlationHeader) : null;
		Object expiryHeader = headers.get(MqttHeaders.MESSAGE_EXPIRY_INTERVAL);
		Long messageExpiry = (expiryHeader != null) ? messageExpiry(expiryHeader) : null;
		Map<String, String> userProperties = this.protocolVersion.isV5() ? userProperties(headers) : Map.of();
		return finish(new MqttOutboundMessage(topic, converted.bytes(), qos, retain, messageExpiry, contentType,
				converted.utf8(), responseTopic, correlationData, userProperties));
	}

	<T> T read(Message<byte[]> message, Class<T> type) {
		byte[] payload = message.getPayload();
		if (type == byte[].class) {
			return type.cast(payload);
		}
		if (type == String.class) {
			return type.cast(new String(payload, StandardCharsets.UTF_8));
		}
		Object converted = this.converter.fromMessage(message, type);
		if (converted == null) {
			throw new IllegalArgumentException(cannotConvert("read a reply as " + type.getName()));
		}
		return type.cast(converted);
	}

	private MqttOutboundMessage finish(MqttOutboundMessage message) {
		if (this.protocolVersion.isV5()) {
			return message;
		}
		List<String> features = message.mqtt5Features();
		if (!features.isEmpty()) {
			throw new IllegalArgumentException("MQTT 5 feature(s) " + String.join(", ", features)
					+ " cannot be sent on an MQTT " + this.protocolVersion + " connection: set mqtt.protocol-version=5"
					+ " (if the broker supports it) or leave them out");
		}
		return message;
	}

	private Payload convert(@Nullable Object payload, @Nullable MessageHeaders headers) {
		if (payload == null) {
			throw new IllegalArgumentException("The payload must not be null: send an empty byte[] for an empty "
					+ "payload");
		}
		if (payload instanceof byte[] bytes) {
			return new Payload(bytes, null, false);
		}
		if (payload instanceof String string) {
			return new Payload(string.getBytes(StandardCharsets.UTF_8), null, this.protocolVersion.isV5());
		}
		Message<?> written;
		try {
			written = this.converter.toMessage(payload, headers);
		}
		catch (IllegalArgumentException ex) {
			throw ex;
		}
		catch (MessageConversionException ex) {
			throw new IllegalArgumentException(ex.getMessage(), ex);
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("Cannot write the " + payload.getClass().getName() + " payload: "
					+ ex.getMessage(), ex);
		}
		if (written == null) {
			throw new IllegalArgumentException(cannotConvert("send a " + payload.getClass().getName()));
		}
		if (!(written.getPayload() instanceof byte[] bytes)) {
			throw new IllegalArgumentException("The message converter wrote the " + payload.getClass().getName()
					+ " payload as a " + written.getPayload().getClass().getName() + ": it must write a byte[]");
		}
		if (!this.protocolVersion.isV5()) {
			return new Payload(bytes, null, false);
		}
		Object contentType = written.getHeaders().get(MessageHeaders.CONTENT_TYPE);
		MimeType mimeType = (contentType instanceof MimeType mime) ? mime
				: (contentType instanceof String text) ? parseMimeType(text) : null;
		return new Payload(bytes, (contentType != null) ? contentType.toString() : null, isUtf8(mimeType));
	}

	private String cannotConvert(String purpose) {
		if (!MqttMessageConverters.JACKSON_PRESENT) {
			return "Cannot " + purpose + " without JSON support: add Jackson 3 (tools.jackson.core:jackson-databind) "
					+ "or use a byte[] or String payload";
		}
		return "Cannot " + purpose + ": the message converter (in an application, the '"
				+ MqttMessageConverters.BEAN_NAME + "' bean) does not convert that type; use a byte[] or String "
				+ "payload, or a converter that does";
	}

	private static @Nullable MimeType parseMimeType(String text) {
		try {
			return MimeType.valueOf(text);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	// Whether to set the payload format indicator (UTF-8 text): a UTF-8 charset, or JSON
	// without a charset (JSON is UTF-8 unless the content type says otherwise)
	private static boolean isUtf8(@Nullable MimeType mimeType) {
		if (mimeType == null) {
			return false;
		}
		Charset charset = mimeType.getCharset();
		if (charset != null) {
			return charset.equals(StandardCharsets.UTF_8);
		}
		String subtype = mimeType.getSubtype();
		return subtype.equals("json") || subtype.endsWith("+json");
	}

	static void validateTopic(String topic, String description) {
		if (topic.isEmpty()) {
			throw new IllegalArgumentException("The " + description + " must not be empty");
		}
		for (int i = 0; i < topic.length(); i++) {
			char c = topic.charAt(i);
			if (c == '+' || c == '#') {
				throw new IllegalArgumentException("The " + description + " '" + topic + "' contains the wildcard '"
						+ c + "': wildcards belong in subscriptions, a publish needs a plain topic name");
			}
			if (c == '\u0000') {
				throw new IllegalArgumentException("The " + description + " must not contain the null character");
			}
		}
		// A char takes at most 3 bytes in UTF-8 (a surrogate pair 4)
		if (topic.length() * 3 > MAX_TOPIC_BYTES && topic.getBytes(StandardCharsets.UTF_8).length > MAX_TOPIC_BYTES) {
			throw new IllegalArgumentException("The " + description + " is longer than " + MAX_TOPIC_BYTES + " bytes");
		}
	}

	static void validateQos(int qos) {
		if (qos < 0 || qos > 2) {
			throw new IllegalArgumentException("QoS " + qos + " is invalid: use 0, 1 or 2");
		}
	}

	private static int qos(@Nullable Object value, int defaultQos) {
		if (value == null) {
			return defaultQos;
		}
		int qos;
		if (value instanceof Number number) {
			qos = number.intValue();
		}
		else if (value instanceof String string) {
			try {
				qos = Integer.parseInt(string.trim());
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException("The '" + MqttHeaders.QOS + "' header '" + string
						+ "' is not a number: use 0, 1 or 2");
			}
		}
		else {
			throw unexpectedType(MqttHeaders.QOS, value, "an Integer");
		}
		validateQos(qos);
		return qos;
	}

	private static boolean retain(@Nullable Object value, boolean defaultRetain) {
		if (value == null) {
			return defaultRetain;
		}
		if (value instanceof Boolean retain) {
			return retain;
		}
		if (value instanceof String string && (string.equalsIgnoreCase("true") || string.equalsIgnoreCase("false"))) {
			return Boolean.parseBoolean(string);
		}
		throw unexpectedType(MqttHeaders.RETAINED, value, "a Boolean");
	}

	private static String contentType(Object value) {
		if (value instanceof String || value instanceof MimeType) {
			return value.toString();
		}
		throw unexpectedType(MessageHeaders.CONTENT_TYPE, value, "a String or MimeType");
	}

	private static byte[] correlationData(Object value) {
		if (value instanceof byte[] bytes) {
			return bytes;
		}
		if (value instanceof String string) {
			return string.getBytes(StandardCharsets.UTF_8);
		}
		throw unexpectedType(MqttHeaders.CORRELATION_DATA, value, "a byte[] or String");
	}

	private static long messageExpiry(Object value) {
		long seconds;
		if (value instanceof Duration duration) {
			seconds = duration.toSeconds();
		}
		else if (value instanceof Number number) {
			seconds = number.longValue();
		}
		else if (value instanceof String string) {
			try {
				seconds = Long.parseLong(string.trim());
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException("The '" + MqttHeaders.MESSAGE_EXPIRY_INTERVAL + "' header '"
						+ string + "' is not a number of seconds");
			}
		}
		else {
			throw unexpectedType(MqttHeaders.MESSAGE_EXPIRY_INTERVAL, value, "a Long (seconds) or Duration");
		}
		if (seconds < 0 || seconds > MAX_MESSAGE_EXPIRY) {
			throw new IllegalArgumentException("The message expiry interval " + seconds
					+ " s is out of range: use 0 to " + MAX_MESSAGE_EXPIRY + " seconds");
		}
		return seconds;
	}

	private static String string(String name, Object value) {
		if (value instanceof String string) {
			return string;
		}
		throw unexpectedType(name, value, "a String");
	}

	private static Map<String, String> userProperties(MessageHeaders headers) {
		Map<String, String> userProperties = new LinkedHashMap<>();
		headers.forEach((name, value) -> {
			if (value instanceof String string && !NOT_USER_PROPERTIES.contains(name)
					&& !name.startsWith(MqttHeaders.PREFIX)) {
				userProperties.put(name, string);
			}
		});
		return userProperties;
	}

	private static IllegalArgumentException unexpectedType(String header, Object value, String expected) {
		return new IllegalArgumentException("The '" + header + "' header must be " + expected + ", not a "
				+ value.getClass().getName());
	}

	private record Payload(byte[] bytes, @Nullable String contentType, boolean utf8) {

	}

}
