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
package io.mqttboot.connection;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A message ready to be published, in a form independent of the protocol version: the
 * payload already converted to bytes and the MQTT 5 properties as plain values. Built and
 * validated by the {@link MqttTemplate}; the {@link MqttConnection} publishes it.
 *
 * @param topic the topic name (no wildcards)
 * @param payload the payload
 * @param qos the QoS, 0 to 2
 * @param retain whether the broker retains the message
 * @param messageExpiryInterval the MQTT 5 message expiry interval in seconds, or
 * {@code null} for none
 * @param contentType the MQTT 5 content type, or {@code null}
 * @param payloadFormatUtf8 whether the MQTT 5 payload format indicator says UTF-8 text
 * @param responseTopic the MQTT 5 response topic, or {@code null}
 * @param correlationData the MQTT 5 correlation data, or {@code null}
 * @param userProperties the MQTT 5 user properties, in order
 * @author mqttboot
 */
public record MqttOutboundMessage(String topic, byte[] payload, int qos, boolean retain,
		@Nullable Long messageExpiryInterval, @Nullable String contentType, boolean payloadFormatUtf8,
		@Nullable String responseTopic, byte @Nullable [] correlationData, Map<String, String> userProperties) {

	/**
	 * Create a message, checking the values that the types do not.
	 * @param topic the topic name
	 * @param payload the payload
	 * @param qos the QoS
	 * @param retain the retain flag
	 * @param messageExpiryInterval the message expiry interval in seconds or {@code null}
	 * @param contentType the content type or {@code null}
	 * @param payloadFormatUtf8 the payload format indicator
	 * @param responseTopic the response topic or {@code null}
	 * @param correlationData the correlation data or {@code null}
	 * @param userProperties the user properties
	 */
	public MqttOutboundMessage {
		Assert.hasLength(topic, "'topic' must not be empty");
		Assert.notNull(payload, "'payload' must not be null");
		Assert.isTrue(qos >= 0 && qos <= 2, "'qos' must be 0, 1 or 2");
		userProperties = userProperties.isEmpty() ? Map.of()
				: Collections.unmodifiableMap(new LinkedHashMap<>(userProperties));
	}

	/**
	 * Create a message without MQTT 5 properties.
	 * @param topic the topic name
	 * @param payload the payload
	 * @param qos the QoS
	 * @param retain the retain flag
	 * @return the message
	 */
	public static MqttOutboundMessage of(String topic, byte[] payload, int qos, boolean retain) {
		return new MqttOutboundMessage(topic, payload, qos, retain, null, null, false, null, null, Map.of());
	}

	/**
	 * Return a copy of this message with the given response topic and correlation data.
	 * @param responseTopic the response topic
	 * @param correlationData the correlation data
	 * @return the copy
	 */
	public MqttOutboundMessage withResponse(String responseTopic, byte[] correlationData) {
		return new MqttOutboundMessage(this.topic, this.payload, this.qos, this.retain, this.messageExpiryInterval,
				this.contentType, this.payloadFormatUtf8, responseTopic, correlationData, this.userProperties);
	}

	/**
	 * Return a copy of this message with the given user properties instead of its own.
	 * @param userProperties the user properties
	 * @return the copy
	 */
	public MqttOutboundMessage withUserProperties(Map<String, String> userProperties) {
		return new MqttOutboundMessage(this.topic, this.payload, this.qos, this.retain, this.messageExpiryInterval,
				this.contentType, this.payloadFormatUtf8, this.responseTopic, this.correlationData, userProperties);
	}

	/**
	 * Return the MQTT 5 features this message uses, by name, for error messages; empty if
	 * it can be sent with MQTT 3.1.1 and 3.1.
	 * @return the MQTT 5 features used
	 */
	public List<String> mqtt5Features() {
		List<String> features = new ArrayList<>();
		if (this.messageExpiryInterval != null) {
			features.add("message expiry interval");
		}
		if (this.contentType != null) {
			features.add("content type");
		}
		if (this.responseTopic != null) {
			features.add("response topic");
		}
		if (this.correlationData != null) {
			features.add("correlation data");
		}
		if (!this.userProperties.isEmpty()) {
			features.add("user properties " + this.userProperties.keySet());
		}
		return features;
	}

}
