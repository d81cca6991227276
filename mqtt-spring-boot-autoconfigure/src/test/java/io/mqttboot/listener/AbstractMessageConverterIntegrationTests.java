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
import java.util.List;

import io.mqttboot.core.MqttMessageConverters;
import io.mqttboot.core.MqttTemplate;
import io.mqttboot.listener.ListenerTestSupport.Recorder;
import io.mqttboot.test.HiveMqBroker;
import io.mqttboot.test.MqttTestClient;
import io.mqttboot.test.MqttTestClient.Received;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.AbstractMessageConverter;
import org.springframework.messaging.converter.CompositeMessageConverter;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.handler.annotation.SendTo;
import org.springframework.util.MimeType;

import static io.mqttboot.listener.ListenerTestSupport.WAIT;
import static io.mqttboot.listener.ListenerTestSupport.awaitSubscribed;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Integration tests of the one payload converter, the {@code mqttMessageConverter}
 * bean: an application's own bean changes how the template writes, how listeners read
 * and how their replies are written, against the shared embedded HiveMQ CE. Written once
 * and run for MQTT 5 and 3.1.1 by subclasses.
 *
 * @author mqttboot
 */
abstract class AbstractMessageConverterIntegrationTests {

	static final HiveMqBroker broker = HiveMqBroker.shared();

	static final String TEMPERATURE_CONTENT_TYPE = "text/x-temperature;charset=UTF-8";

	final String prefix = ListenerTestSupport.uniquePrefix(protocolVersion());

	/**
	 * Return the value of {@code mqtt.protocol-version} under test.
	 * @return the protocol version
	 */
	abstract String protocolVersion();

	/**
	 * Assert the content type that a message published by the application arrived with.
	 * @param received the message
	 * @param contentType the content type the converter set
	 */
	abstract void assertContentType(Received received, String contentType);

	ApplicationContextRunner contextRunner() {
		return ListenerTestSupport.contextRunner(protocolVersion(), broker.mqttUrl(), this.prefix)
			.withUserConfiguration(TemperatureConverterConfiguration.class, TemperatureListeners.class);
	}

	String topic(String name) {
		return this.prefix + "/" + name;
	}

	@Test
	void anApplicationConverterWritesForTheTemplateAndReadsForTheListeners() {
		contextRunner().run((context) -> {
			awaitSubscribed(context);
			try (MqttTestClient observer = MqttTestClient.connect(broker.tcpUrl())) {
				observer.subscribe(topic("#"), 1);
				MqttTemplate template = context.getBean(MqttTemplate.class);
				assertThat(template.send(topic("temperature/kitchen"), new Temperature(21.5))).succeedsWithin(WAIT);
				Received sent = observer.awaitMessage(topic("temperature/kitchen"), WAIT);
				assertThat(sent.payloadAsString()).isEqualTo("21.5 °C");
				assertContentType(sent, TEMPERATURE_CONTENT_TYPE);
				Recorder recorder = context.getBean(Recorder.class);
				assertThat(recorder.next("temperature")).isEqualTo(new Temperature(21.5));
				Received reply = observer.awaitMessage(topic("warmer/kitchen"), WAIT);
				assertThat(reply.payloadAsString()).isEqualTo("22.5 °C");
				assertContentType(reply, TEMPERATURE_CONTENT_TYPE);
			}
		});
	}

	@Test
	void typesTheApplicationConverterLeavesOutStayJson() {
		contextRunner().run((context) -> {
			awaitSubscribed(context);
			try (MqttTestClient observer = MqttTestClient.connect(broker.tcpUrl())) {
				observer.subscribe(topic("#"), 1);
				MqttTemplate template = context.getBean(MqttTemplate.class);
				assertThat(template.send(topic("room"), new Room("hall", 2))).succeedsWithin(WAIT);
				Received sent = observer.awaitMessage(topic("room"), WAIT);
				assertThat(sent.payloadAsString()).isEqualTo("{\"name\":\"hall\",\"floor\":2}");
				assertContentType(sent, "application/json");
				assertThat(context.getBean(Recorder.class).next("room")).isEqualTo(new Room("hall", 2));
			}
		});
	}

	record Temperature(double celsius) {
	}

	record Room(String name, int floor) {
	}

	/**
	 * Writes and reads a {@link Temperature} as {@code "21.5 °C"}.
	 */
	static class TemperatureConverter extends AbstractMessageConverter {

		TemperatureConverter() {
			super(MimeType.valueOf(TEMPERATURE_CONTENT_TYPE));
		}

		@Override
		protected boolean supports(Class<?> clazz) {
			return clazz == Temperature.class;
		}

		@Override
		protected Object convertFromInternal(Message<?> message, Class<?> targetClass, Object conversionHint) {
			String text = new String((byte[]) message.getPayload(), StandardCharsets.UTF_8);
			return new Temperature(Double.parseDouble(text.substring(0, text.indexOf(' '))));
		}

		@Override
		protected Object convertToInternal(Object payload, MessageHeaders headers, Object conversionHint) {
			return (((Temperature) payload).celsius() + " °C").getBytes(StandardCharsets.UTF_8);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TemperatureConverterConfiguration {

		@Bean
		MessageConverter mqttMessageConverter(BeanFactory beanFactory) {
			return new CompositeMessageConverter(
					List.of(new TemperatureConverter(), MqttMessageConverters.create(beanFactory)));
		}

	}

	static class TemperatureListeners {

		private final Recorder recorder;

		TemperatureListeners(Recorder recorder) {
			this.recorder = recorder;
		}

		@MqttListener(id = "temperature", topics = "${test.prefix}/temperature/{room}")
		@SendTo("${test.prefix}/warmer/{room}")
		Temperature onTemperature(Temperature temperature) {
			this.recorder.record("temperature", temperature);
			return new Temperature(temperature.celsius() + 1);
		}

		@MqttListener(id = "room", topics = "${test.prefix}/room")
		void onRoom(Room room) {
			this.recorder.record("room", room);
		}

	}

}
