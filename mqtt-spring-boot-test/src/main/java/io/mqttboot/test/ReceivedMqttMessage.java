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
package io.mqttboot.test;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A message a {@link MqttTestClient} received: topic, payload (as bytes, as UTF-8 text or
 * read from JSON), QoS, retain flag and MQTT 5 properties. The accessors are named like
 * record components, so that AssertJ's {@code extracting("topic", "qos")} and method
 * references ({@code extracting(ReceivedMqttMessage::payloadAsString)}) both work.
 *
 * @author mqttboot
 */
public final class ReceivedMqttMessage {

	private final String topic;

	private final byte[] payload;

	private final int qos;

	private final boolean retained;

	private final Map<String, String> userProperties;

	private final @Nullable String contentType;

	private final JsonMapper jsonMapper;

	ReceivedMqttMessage(String topic, MqttMessage message, JsonMapper jsonMapper) {
		this.topic = topic;
		this.payload = message.getPayload();
		this.qos = message.getQos();
		this.retained = message.isRetained();
		MqttProperties properties = message.getProperties();
		Map<String, String> userProperties = new LinkedHashMap<>();
		if (properties != null && properties.getUserProperties() != null) {
			for (UserProperty property : properties.getUserProperties()) {
				userProperties.put(property.getKey(), property.getValue());
			}
		}
		this.userProperties = Collections.unmodifiableMap(userProperties);
		this.contentType = (properties != null) ? properties.getContentType() : null;
		this.jsonMapper = jsonMapper;
	}

	/**
	 * Return the topic the message was published to.
	 * @return the topic
	 */
	public String topic() {
		return this.topic;
	}

	/**
	 * Return the payload.
	 * @return a copy of the payload bytes
	 */
	public byte[] payload() {
		return this.payload.clone();
	}

	/**
	 * Return the payload decoded as UTF-8.
	 * @return the payload as text
	 */
	public String payloadAsString() {
		return new String(this.payload, StandardCharsets.UTF_8);
	}

	/**
	 * Return the payload read from JSON, with the JSON mapper of the test context (or a
	 * default one).
	 * @param <T> the type to read
	 * @param type the type to read
	 * @return the payload as that type
	 * @throws AssertionError if the payload is not JSON of that type
	 */
	public <T> T payload(Class<T> type) {
		try {
			return this.jsonMapper.readValue(this.payload, type);
		}
		catch (JacksonException ex) {
			throw new AssertionError("The payload of the message on '" + this.topic + "' is not JSON of "
					+ type.getName() + ": " + ex.getOriginalMessage() + "; payload: " + payloadAsString(), ex);
		}
	}

	/**
	 * Return the QoS the message was delivered with.
	 * @return 0, 1 or 2
	 */
	public int qos() {
		return this.qos;
	}

	/**
	 * Return whether the message came with the retain flag: a retained message the broker
	 * sent on subscription.
	 * @return the retain flag
	 */
	public boolean retained() {
		return this.retained;
	}

	/**
	 * Return the MQTT 5 user properties, in the order they came (the last one of a name
	 * that came twice).
	 * @return the user properties, empty if none
	 */
	public Map<String, String> userProperties() {
		return this.userProperties;
	}

	/**
	 * Return the MQTT 5 content type.
	 * @return the content type, or {@code null} if none was sent
	 */
	public @Nullable String contentType() {
		return this.contentType;
	}

	@Override
	public String toString() {
		return "ReceivedMqttMessage[topic=" + this.topic + ", qos=" + this.qos + ", retained=" + this.retained
				+ ", payload='" + payloadAsString() + "'"
				+ (this.userProperties.isEmpty() ? "" : ", userProperties=" + this.userProperties) + "]";
	}

}
