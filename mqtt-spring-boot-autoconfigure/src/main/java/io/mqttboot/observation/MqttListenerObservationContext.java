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
package io.mqttboot.observation;

import io.micrometer.observation.transport.ReceiverContext;

import org.springframework.messaging.Message;

/**
 * The context of an {@link MqttListenerObservation#LISTENER mqtt.listener} observation.
 * Its carrier is the inbound message, whose MQTT 5 user properties are headers: a
 * tracer's propagator reads the trace context there and the invocation continues it.
 *
 * @author mqttboot
 */
public class MqttListenerObservationContext extends ReceiverContext<Message<byte[]>> {

	private final String connectionName;

	private final String listenerId;

	private final String topic;

	/**
	 * Create a context.
	 * @param connectionName the name of the listener's connection
	 * @param listenerId the id of the listener
	 * @param topic the topic the message was published to
	 * @param message the inbound message
	 */
	public MqttListenerObservationContext(String connectionName, String listenerId, String topic,
			Message<byte[]> message) {
		super((carrier, key) -> {
			Object value = carrier.getHeaders().get(key);
			return (value instanceof String string) ? string : null;
		});
		this.connectionName = connectionName;
		this.listenerId = listenerId;
		this.topic = topic;
		setCarrier(message);
	}

	/**
	 * Return the name of the listener's connection.
	 * @return the connection name, {@code default} for the default connection
	 */
	public String getConnectionName() {
		return this.connectionName;
	}

	/**
	 * Return the id of the listener.
	 * @return the listener id
	 */
	public String getListenerId() {
		return this.listenerId;
	}

	/**
	 * Return the topic the message was published to.
	 * @return the topic
	 */
	public String getTopic() {
		return this.topic;
	}

	/**
	 * Return the inbound message.
	 * @return the message
	 */
	public Message<byte[]> getMessage() {
		Message<byte[]> carrier = getCarrier();
		if (carrier == null) {
			throw new IllegalStateException("No message");
		}
		return carrier;
	}

}
