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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.mqttboot.connection.MqttConnection;
import io.mqttboot.connection.MqttOutboundMessage;
import io.mqttboot.connection.MqttProtocolVersion;
import io.mqttboot.connection.ReconnectSettings;
import io.mqttboot.connection.ReconnectingMqttv5ClientManager;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

import org.springframework.integration.mqtt.support.MqttHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.AbstractMessageConverter;
import org.springframework.messaging.converter.ByteArrayMessageConverter;
import org.springframework.messaging.converter.CompositeMessageConverter;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link MqttTemplate} without a broker: input validation, and payload and
 * header mapping.
 *
 * @author mqttboot
 */
class MqttTemplateTests {

	private final OutboundMessageMapper v5 = new OutboundMessageMapper(MqttProtocolVersion.V5,
			MqttMessageConverters.create());

	private final OutboundMessageMapper v3 = new OutboundMessageMapper(MqttProtocolVersion.V3_1_1,
			MqttMessageConverters.create());

	@Test
	void topicNamesWithWildcardsAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.v5.map("a/+/c", "x", 1, false))
			.withMessageContaining("'a/+/c'")
			.withMessageContaining("wildcard '+'");
		assertThatIllegalArgumentException().isThrownBy(() -> this.v5.map("a/#", "x", 1, false))
			.withMessageContaining("wildcard '#'");
		assertThatIllegalArgumentException().isThrownBy(() -> this.v3.map("#", "x", 1, false));
	}

	@Test
	void emptyTopicIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.v5.map("", "x", 1, false))
			.withMessage("The topic must not be empty");
	}

	@Test
	void qosOutsideZeroToTwoIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.v5.map("t", "x", 3, false))
			.withMessage("QoS 3 is invalid: use 0, 1 or 2");
		assertThatIllegalArgumentException().isThrownBy(() -> this.v5.map("t", "x", -1, false));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.v5.map(MessageBuilder.withPayload("x")
				.setHeader(MqttHeaders.TOPIC, "t")
				.setHeader(MqttHeaders.QOS, 5)
				.build(), 1, false))
			.withMessage("QoS 5 is invalid: use 0, 1 or 2");
	}

	@Test
	void nullPayloadIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.v5.map("t", null, 1, false))
			.withMessageContaining("payload must not be null");
	}

	@Test
	void bytesAreSentAsIsAndStringsAsUtf8() {
		byte[] bytes = { 0, 1, (byte) 0xFF };
		MqttOutboundMessage binary = this.v5.map("t", bytes, 0, true);
		assertThat(binary.payload()).isSameAs(bytes);
		assertThat(binary.qos()).isZero();
		assertThat(binary.retain()).isTrue();
		assertThat(binary.contentType()).isNull();
		assertThat(binary.payloadFormatUtf8()).isFalse();
		MqttOutboundMessage text = this.v5.map("t", "grüße", 1, false);
		assertThat(text.payload()).isEqualTo("grüße".getBytes(StandardCharsets.UTF_8));
		assertThat(text.contentType()).isNull();
		assertThat(text.payloadFormatUtf8()).isTrue();
		assertThat(this.v3.map("t", "grüße", 1, false).payloadFormatUtf8()).isFalse();
	}

	@Test
	void objectsAreSentAsJsonWithContentTypeOnMqtt5Only() {
		MqttOutboundMessage v5Message = this.v5.map("t", new Reading("kitchen", 21.5), 1, false);
		assertThat(new String(v5Message.payload(), StandardCharsets.UTF_8))
			.isEqualTo("{\"room\":\"kitchen\",\"celsius\":21.5}");
		assertThat(v5Message.contentType()).isEqualTo("application/json");
		MqttOutboundMessage v3Message = this.v3.map("t", new Reading("kitchen", 21.5), 1, false);
		assertThat(v3Message.payload()).isEqualTo(v5Message.payload());
		assertThat(v3Message.contentType()).isNull();
	}

	@Test
	void objectsTheConverterCannotWriteFailClearly() {
		OutboundMessageMapper mapper = new OutboundMessageMapper(MqttProtocolVersion.V5,
				new CompositeMessageConverter(List.of(new StringMessageConverter(), new ByteArrayMessageConverter())));
		assertThatIllegalArgumentException().isThrownBy(() -> mapper.map("t", new Reading("a", 1), 1, false))
			.withMessageContaining("Cannot send a " + Reading.class.getName())
			.withMessageContaining("the 'mqttMessageConverter' bean");
		assertThat(mapper.map("t", "text", 1, false).payload()).hasSize(4);
	}

	@Test
	void bytesAndStringsDoNotGoThroughTheConverter() {
		OutboundMessageMapper mapper = new OutboundMessageMapper(MqttProtocolVersion.V5, new TemperatureConverter() {

			@Override
			protected boolean supports(Class<?> clazz) {
				throw new AssertionError("asked for a " + clazz.getName());
			}

		});
		byte[] bytes = { 1, 2 };
		assertThat(mapper.map("t", bytes, 1, false).payload()).isSameAs(bytes);
		assertThat(mapper.map("t", "21", 1, false).payload()).isEqualTo("21".getBytes(StandardCharsets.UTF_8));
		assertThat(mapper.read(MessageBuilder.withPayload(bytes).build(), byte[].class)).isSameAs(bytes);
		assertThat(mapper.read(MessageBuilder.withPayload("21".getBytes(StandardCharsets.UTF_8)).build(),
				String.class))
			.isEqualTo("21");
	}

	@Test
	void objectsAreWrittenWithTheContentTypeOfTheConverter() {
		OutboundMessageMapper v5 = new OutboundMessageMapper(MqttProtocolVersion.V5, new TemperatureConverter());
		MqttOutboundMessage message = v5.map("t", new Temperature(21.5), 1, false);
		assertThat(message.payload()).isEqualTo("21.5 C".getBytes(StandardCharsets.UTF_8));
		assertThat(message.contentType()).isEqualTo("text/x-temperature;charset=UTF-8");
		assertThat(message.payloadFormatUtf8()).isTrue();
		MqttOutboundMessage explicit = v5.map(MessageBuilder.withPayload(new Temperature(3))
			.setHeader(MqttHeaders.TOPIC, "t")
			.setHeader(MessageHeaders.CONTENT_TYPE, "text/x-temperature")
			.build(), 1, false);
		assertThat(explicit.payload()).isEqualTo("3.0 C".getBytes(StandardCharsets.UTF_8));
		assertThat(explicit.contentType()).isEqualTo("text/x-temperature");
		MqttOutboundMessage v3 = new OutboundMessageMapper(MqttProtocolVersion.V3_1_1, new TemperatureConverter())
			.map("t", new Temperature(21.5), 1, false);
		assertThat(v3.contentType()).isNull();
		assertThat(v3.payloadFormatUtf8()).isFalse();
	}

	@Test
	void typedResponsesAreReadWithTheConverter() {
		OutboundMessageMapper mapper = new OutboundMessageMapper(MqttProtocolVersion.V5, new TemperatureConverter());
		assertThat(mapper.read(MessageBuilder.withPayload("4.5 C".getBytes(StandardCharsets.UTF_8)).build(),
				Temperature.class))
			.isEqualTo(new Temperature(4.5));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> mapper.read(MessageBuilder.withPayload(new byte[] { 1 }).build(), Reading.class))
			.withMessageContaining("Cannot read a reply as " + Reading.class.getName());
		assertThatExceptionOfType(MessageConversionException.class)
			.isThrownBy(() -> this.v5.read(MessageBuilder.withPayload(utf8("{\"room\":")).build(), Reading.class))
			.withMessageContaining("Could not read JSON");
		assertThat(this.v5.read(MessageBuilder.withPayload(utf8("{\"room\":\"hall\",\"celsius\":19.5}")).build(),
				Reading.class))
			.isEqualTo(new Reading("hall", 19.5));
	}

	@Test
	void aConverterThatDoesNotWriteBytesIsRejected() {
		OutboundMessageMapper mapper = new OutboundMessageMapper(MqttProtocolVersion.V5, new TemperatureConverter() {

			@Override
			protected Object convertToInternal(Object payload, MessageHeaders headers, Object conversionHint) {
				return payload.toString();
			}

		});
		assertThatIllegalArgumentException().isThrownBy(() -> mapper.map("t", new Temperature(1), 1, false))
			.withMessageContaining("as a java.lang.String: it must write a byte[]");
	}

	@Test
	void objectsThatCannotBeWrittenAsJsonAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.v5.map("t", new Unwritable("x"), 1, false))
			.withMessageContaining("Cannot write the " + Unwritable.class.getName() + " payload as JSON");
	}

	@Test
	void messageHeadersMapToMqtt5Properties() {
		Message<String> message = MessageBuilder.withPayload("hello")
			.setHeader(MqttHeaders.TOPIC, "a/b")
			.setHeader(MqttHeaders.QOS, "2")
			.setHeader(MqttHeaders.RETAINED, true)
			.setHeader(MqttHeaders.MESSAGE_EXPIRY_INTERVAL, Duration.ofMinutes(1))
			.setHeader(MessageHeaders.CONTENT_TYPE, MimeTypeUtils.TEXT_PLAIN)
			.setHeader(MqttHeaders.RESPONSE_TOPIC, "replies/me")
			.setHeader(MqttHeaders.CORRELATION_DATA, "req-1")
			.setHeader("tenant", "acme")
			.setHeader("trace", "abc")
			.setHeader("notAString", 42)
			.setHeader(MqttHeaders.RECEIVED_TOPIC, "ignored")
			.build();
		MqttOutboundMessage mapped = this.v5.map(message, 1, false);
		assertThat(mapped.topic()).isEqualTo("a/b");
		assertThat(mapped.qos()).isEqualTo(2);
		assertThat(mapped.retain()).isTrue();
		assertThat(mapped.messageExpiryInterval()).isEqualTo(60L);
		assertThat(mapped.contentType()).isEqualTo("text/plain");
		assertThat(mapped.responseTopic()).isEqualTo("replies/me");
		assertThat(mapped.correlationData()).isEqualTo("req-1".getBytes(StandardCharsets.UTF_8));
		assertThat(mapped.userProperties()).containsOnly(Map.entry("tenant", "acme"), Map.entry("trace", "abc"));
	}

	@Test
	void messageDefaultsApplyWithoutHeaders() {
		MqttOutboundMessage mapped = this.v5.map(MessageBuilder.withPayload("x").setHeader(MqttHeaders.TOPIC, "t")
			.build(), 0, true);
		assertThat(mapped.qos()).isZero();
		assertThat(mapped.retain()).isTrue();
		assertThat(mapped.userProperties()).isEmpty();
		assertThat(mapped.messageExpiryInterval()).isNull();
	}

	@Test
	void messageWithoutTopicHeaderIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.v5.map(MessageBuilder.withPayload("x").build(), 1,
				false))
			.withMessageContaining("'mqtt_topic'");
	}

	@Test
	void headersOfTheWrongTypeAreRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.v5.map(message(MqttHeaders.RETAINED, 1), 1, false))
			.withMessageContaining("'mqtt_retained' header must be a Boolean");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.v5.map(message(MqttHeaders.CORRELATION_DATA, 1L), 1, false))
			.withMessageContaining("byte[] or String");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.v5.map(message(MqttHeaders.MESSAGE_EXPIRY_INTERVAL, -1L), 1, false))
			.withMessageContaining("out of range");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.v5.map(message(MqttHeaders.RESPONSE_TOPIC, "replies/+"), 1, false))
			.withMessageContaining("response topic 'replies/+'");
	}

	@Test
	void mqtt5PropertiesOnMqtt3AreRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.v3.map(message(MqttHeaders.RESPONSE_TOPIC, "replies/me"), 1, false))
			.withMessageContaining("MQTT 5 feature(s) response topic")
			.withMessageContaining("MQTT 3.1.1 connection")
			.withMessageContaining("mqtt.protocol-version=5");
		for (String header : List.of(MqttHeaders.MESSAGE_EXPIRY_INTERVAL, MqttHeaders.CORRELATION_DATA,
				MessageHeaders.CONTENT_TYPE)) {
			assertThatIllegalArgumentException().isThrownBy(() -> this.v3.map(message(header, "10"), 1, false));
		}
	}

	@Test
	void plainHeadersAreNotSentOnMqtt3() {
		MqttOutboundMessage mapped = this.v3.map(message("tenant", "acme"), 1, false);
		assertThat(mapped.userProperties()).isEmpty();
		assertThat(mapped.mqtt5Features()).isEmpty();
	}

	@Test
	void notConnectedFailsFastWithoutSending() throws Exception {
		ReconnectingMqttv5ClientManager manager = unstartedManager();
		MqttTemplate template = new MqttTemplate(MqttConnection.of(MqttConnection.DEFAULT_NAME, manager));
		CompletableFuture<Void> sent = template.send("t", "x");
		assertThat(sent).isCompletedExceptionally();
		assertThat(sent).failsWithin(Duration.ZERO)
			.withThrowableOfType(Exception.class)
			.havingCause()
			.isInstanceOf(MqttPublishException.class)
			.withMessageContaining("Not connected to the MQTT broker (client id 'template-tests')")
			.withMessageContaining("nothing was published to 't'");
		assertThat(template.sendAndReceive("t", "x", Duration.ofSeconds(1))).isCompletedExceptionally();
	}

	@Test
	void invalidInputFailsBeforeTheConnectionIsChecked() {
		MqttTemplate template = new MqttTemplate(MqttConnection.of(MqttConnection.DEFAULT_NAME, unstartedManager()));
		assertThat(template.send("a/#", "x")).failsWithin(Duration.ZERO)
			.withThrowableOfType(Exception.class)
			.havingCause()
			.isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void defaultResponseTopicIsPerClient() {
		MqttTemplate template = new MqttTemplate(MqttConnection.of(MqttConnection.DEFAULT_NAME, unstartedManager()));
		assertThat(template.getResponseTopic()).isEqualTo("mqttboot/replies/template-tests");
		assertThat(template.getConnection().getProtocolVersion()).isEqualTo(MqttProtocolVersion.V5);
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static Message<String> message(String header, Object value) {
		return MessageBuilder.withPayload("x").setHeader(MqttHeaders.TOPIC, "t").setHeader(header, value).build();
	}

	private static ReconnectingMqttv5ClientManager unstartedManager() {
		MqttConnectionOptions options = new MqttConnectionOptions();
		options.setServerURIs(new String[] { "tcp://127.0.0.1:1" });
		return new ReconnectingMqttv5ClientManager(options, "template-tests", new MemoryPersistence(),
				reconnectSettings());
	}

	private static ReconnectSettings reconnectSettings() {
		return new ReconnectSettings(true, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(1));
	}

	record Reading(String room, double celsius) {
	}

	record Temperature(double celsius) {
	}

	/**
	 * Writes and reads a {@link Temperature} as {@code "21.5 C"}.
	 */
	static class TemperatureConverter extends AbstractMessageConverter {

		TemperatureConverter() {
			super(new MimeType("text", "x-temperature", StandardCharsets.UTF_8));
		}

		@Override
		protected boolean supports(Class<?> clazz) {
			return clazz == Temperature.class;
		}

		@Override
		protected Object convertFromInternal(Message<?> message, Class<?> targetClass, Object conversionHint) {
			String text = new String((byte[]) message.getPayload(), StandardCharsets.UTF_8);
			return new Temperature(Double.parseDouble(text.substring(0, text.length() - 2)));
		}

		@Override
		protected Object convertToInternal(Object payload, MessageHeaders headers, Object conversionHint) {
			return (((Temperature) payload).celsius() + " C").getBytes(StandardCharsets.UTF_8);
		}

	}

	record Unwritable(String value) {

		@Override
		public String value() {
			throw new IllegalStateException("not today");
		}

	}

}
