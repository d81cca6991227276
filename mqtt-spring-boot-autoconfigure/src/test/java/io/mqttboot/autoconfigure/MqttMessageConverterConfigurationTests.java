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
package io.mqttboot.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

import io.mqttboot.core.MqttMessageConverters;
import io.mqttboot.core.MqttTemplate;
import io.mqttboot.listener.MqttListenerAnnotationBeanPostProcessor;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.ByteArrayMessageConverter;
import org.springframework.messaging.converter.CompositeMessageConverter;
import org.springframework.messaging.converter.JacksonJsonMessageConverter;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.converter.SimpleMessageConverter;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MqttMessageConverterConfiguration}.
 *
 * @author mqttboot
 */
class MqttMessageConverterConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, MqttAutoConfiguration.class))
		.withPropertyValues("mqtt.url=" + MqttAutoConfigurationTests.UNREACHABLE_URL);

	@Test
	void converterWritesJsonWithTheApplicationJsonMapper() {
		this.contextRunner.withPropertyValues("spring.jackson.property-naming-strategy=SNAKE_CASE").run((context) -> {
			MessageConverter converter = converter(context);
			assertThat(((CompositeMessageConverter) converter).getConverters()).satisfiesExactly(
					(first) -> assertThat(first).isInstanceOf(StringMessageConverter.class),
					(second) -> assertThat(second).isInstanceOf(ByteArrayMessageConverter.class),
					(third) -> assertThat(third).isInstanceOf(JacksonJsonMessageConverter.class));
			Message<?> json = converter.toMessage(new RoomReading("hall", 19), null);
			assertThat(json).isNotNull();
			assertThat(new String((byte[]) json.getPayload(), StandardCharsets.UTF_8))
				.isEqualTo("{\"room_name\":\"hall\",\"celsius\":19}");
			assertThat(converter.fromMessage(json, RoomReading.class)).isEqualTo(new RoomReading("hall", 19));
			assertStringsAndBytes(converter);
		});
	}

	@Test
	void templateAndListenersUseTheConverter() {
		this.contextRunner.run((context) -> {
			MessageConverter converter = converter(context);
			assertThat(context.getBean(MqttTemplate.class).getMessageConverter()).isSameAs(converter);
			assertThat(listenerConverter(context)).isSameAs(converter);
		});
	}

	@Test
	void userConverterBacksOffForBothDirections() {
		this.contextRunner.withUserConfiguration(UserConverterConfiguration.class).run((context) -> {
			MessageConverter converter = converter(context);
			assertThat(converter).isSameAs(UserConverterConfiguration.CONVERTER);
			assertThat(context.getBean(MqttTemplate.class).getMessageConverter()).isSameAs(converter);
			assertThat(listenerConverter(context)).isSameAs(converter);
		});
	}

	@Test
	void otherMessageConvertersNeitherReplaceItNorClashWithIt() {
		this.contextRunner.withUserConfiguration(OtherConverterConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(OtherConverterConfiguration.Consumer.class).converter())
				.isSameAs(OtherConverterConfiguration.CONVERTER);
			assertThat(converter(context)).isInstanceOf(CompositeMessageConverter.class);
			assertThat(context.getBean(MqttTemplate.class).getMessageConverter()).isSameAs(converter(context));
		});
	}

	@Test
	void withoutJacksonStringsAndBytesStillWork() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(JsonMapper.class)).run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(JsonMapper.class);
			MessageConverter converter = converter(context);
			assertThat(((CompositeMessageConverter) converter).getConverters()).satisfiesExactly(
					(first) -> assertThat(first).isInstanceOf(StringMessageConverter.class),
					(second) -> assertThat(second).isInstanceOf(ByteArrayMessageConverter.class));
			assertThat(converter.toMessage(new RoomReading("hall", 19), null)).isNull();
			assertStringsAndBytes(converter);
			assertThat(context.getBean(MqttTemplate.class).getMessageConverter()).isSameAs(converter);
		});
	}

	private static void assertStringsAndBytes(MessageConverter converter) {
		Message<byte[]> message = MessageBuilder.withPayload("grüße".getBytes(StandardCharsets.UTF_8))
			.setHeader("contentType", "not a MIME type")
			.build();
		assertThat(converter.fromMessage(message, String.class)).isEqualTo("grüße");
		assertThat(converter.fromMessage(message, byte[].class)).isSameAs(message.getPayload());
		Message<?> text = converter.toMessage("grüße", null);
		assertThat(text).isNotNull();
		assertThat(text.getPayload()).isEqualTo("grüße".getBytes(StandardCharsets.UTF_8));
	}

	private static MessageConverter converter(AssertableApplicationContext context) {
		assertThat(context).hasBean(MqttMessageConverters.BEAN_NAME);
		return context.getBean(MqttMessageConverters.BEAN_NAME, MessageConverter.class);
	}

	private static MessageConverter listenerConverter(AssertableApplicationContext context) {
		MqttListenerAnnotationBeanPostProcessor postProcessor = context.getBean(
				MqttListenerAnnotationBeanPostProcessor.DEFAULT_BEAN_NAME, MqttListenerAnnotationBeanPostProcessor.class);
		Object supplier = ReflectionTestUtils.getField(postProcessor, "messageConverter");
		assertThat(supplier).isInstanceOf(Supplier.class);
		return (MessageConverter) ((Supplier<?>) supplier).get();
	}

	record RoomReading(String roomName, int celsius) {
	}

	@Configuration(proxyBeanMethods = false)
	static class UserConverterConfiguration {

		static final MessageConverter CONVERTER = new SimpleMessageConverter();

		@Bean
		MessageConverter mqttMessageConverter() {
			return CONVERTER;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OtherConverterConfiguration {

		static final MessageConverter CONVERTER = new StringMessageConverter();

		@Bean
		MessageConverter webSocketConverter() {
			return CONVERTER;
		}

		@Bean
		Consumer consumer(MessageConverter converter) {
			return new Consumer(converter);
		}

		record Consumer(MessageConverter converter) {
		}

	}

}
