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

import java.util.List;
import java.util.Map;

import org.springframework.integration.mqtt.support.MqttHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.GenericMessage;

/**
 * A message as it arrived from the broker, before routing: version-neutral. Delivered
 * to the receiver {@link MqttConnection#open opened} on a {@link MqttConnection}.
 * <p>
 * Internal SPI of the starter, shared by the template and the listeners: not meant for
 * application code and subject to change.
 *
 * @param topic the topic name
 * @param payload the payload
 * @param qos the QoS it was delivered with
 * @param retained whether it is a retained message
 * @param duplicate whether the broker marked it as a redelivery
 * @param id the packet identifier (0 for QoS 0)
 * @param properties MQTT 5 properties as message headers (empty for 3.x)
 * @param subscriptionIds MQTT 5 subscription identifiers (empty for 3.x)
 * @param connection the number of the connection it arrived on, see
 * {@link MqttConnection#acknowledge(InboundMessage)}
 * @author mqttboot
 */
public record InboundMessage(String topic, byte[] payload, int qos, boolean retained, boolean duplicate, int id,
		Map<String, Object> properties, List<Integer> subscriptionIds, long connection) {

	/**
	 * Return the message as a Spring message: the MQTT 5 properties and the
	 * {@link MqttHeaders} received topic, QoS, retained and duplicate flags and id as
	 * headers.
	 * @return the message
	 */
	public Message<byte[]> toMessage() {
		return toMessage(Map.of());
	}

	/**
	 * Return this message as a Spring message with {@code MqttHeaders} and the given
	 * extra headers.
	 * @param extraHeaders headers to add
	 * @return the Spring message
	 */
	public Message<byte[]> toMessage(Map<String, ?> extraHeaders) {
		return new GenericMessage<>(this.payload, InboundMessageHeaders.of(this, extraHeaders));
	}

}
