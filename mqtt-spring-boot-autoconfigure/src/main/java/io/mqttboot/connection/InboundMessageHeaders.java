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

import java.util.Map;

import org.springframework.integration.mqtt.support.MqttHeaders;
import org.springframework.messaging.MessageHeaders;

/**
 * The headers of an inbound message, filled in place: one map per message instead of a
 * map that {@link MessageHeaders} copies. Immutable once handed out, like any
 * {@code MessageHeaders}; an id and a timestamp are generated as usual.
 *
 * @author mqttboot
 */
final class InboundMessageHeaders extends MessageHeaders {

	private static final long serialVersionUID = 1L;

	private InboundMessageHeaders() {
		super(null, null, null);
	}

	/**
	 * Create the headers of a message.
	 * @param message the message as it arrived
	 * @param extraHeaders further headers
	 * @return the headers
	 */
	static MessageHeaders of(InboundMessage message, Map<String, ?> extraHeaders) {
		InboundMessageHeaders headers = new InboundMessageHeaders();
		Map<String, Object> raw = headers.getRawHeaders();
		raw.putAll(message.properties());
		raw.putAll(extraHeaders);
		raw.put(MqttHeaders.RECEIVED_TOPIC, message.topic());
		raw.put(MqttHeaders.RECEIVED_QOS, message.qos());
		raw.put(MqttHeaders.RECEIVED_RETAINED, message.retained());
		raw.put(MqttHeaders.DUPLICATE, message.duplicate());
		raw.put(MqttHeaders.ID, message.id());
		return headers;
	}

}
