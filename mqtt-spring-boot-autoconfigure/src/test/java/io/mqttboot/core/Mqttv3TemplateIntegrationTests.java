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

import java.time.Duration;

import io.mqttboot.test.MqttTestClient;
import io.mqttboot.test.MqttTestClient.Received;
import org.junit.jupiter.api.Test;

import org.springframework.integration.mqtt.support.MqttHeaders;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AbstractMqttTemplateIntegrationTests} for MQTT 3.1.1, plus the refusal of MQTT
 * 5 features.
 *
 * @author mqttboot
 */
class Mqttv3TemplateIntegrationTests extends AbstractMqttTemplateIntegrationTests {

	@Override
	protected String protocolVersion() {
		return "3.1.1";
	}

	@Override
	protected void assertJsonContentType(Received received) {
		assertThat(received.properties().getContentType()).isNull();
	}

	@Test
	void mqtt5FeaturesFailBeforeAnythingIsSent() {
		String topic = topic("mqtt5-only");
		try (MqttTestClient subscriber = subscriber(topic, 1)) {
			assertInvalid(this.template.send(MessageBuilder.withPayload("x")
				.setHeader(MqttHeaders.TOPIC, topic)
				.setHeader(MqttHeaders.RESPONSE_TOPIC, "replies/here")
				.build()), "MQTT 5 feature(s) response topic cannot be sent on an MQTT 3.1.1 connection");
			assertInvalid(this.template.send(MessageBuilder.withPayload("x")
				.setHeader(MqttHeaders.TOPIC, topic)
				.setHeader(MqttHeaders.MESSAGE_EXPIRY_INTERVAL, 60L)
				.setHeader(MessageHeaders.CONTENT_TYPE, "text/plain")
				.build()), "message expiry interval, content type");
			assertInvalid(this.template.sendAndReceive(topic, "x", TIMEOUT), "sendAndReceive needs MQTT 5");
			subscriber.expectNoMessage(topic, Duration.ofMillis(300));
		}
	}

	@Test
	void plainHeadersAreNotSentAsUserProperties() {
		String topic = topic("plain-headers");
		try (MqttTestClient subscriber = subscriber(topic, 1)) {
			assertThat(this.template.send(MessageBuilder.withPayload("x")
				.setHeader(MqttHeaders.TOPIC, topic)
				.setHeader("tenant", "acme")
				.build())).succeedsWithin(TIMEOUT);
			assertThat(subscriber.awaitMessage(topic, TIMEOUT).properties().getUserProperties()).isEmpty();
		}
	}

}
