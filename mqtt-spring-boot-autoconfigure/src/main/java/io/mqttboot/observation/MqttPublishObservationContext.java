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

import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.observation.transport.SenderContext;

/**
 * The context of an {@link MqttPublishObservation#PUBLISH mqtt.publish} observation.
 * Its carrier is the MQTT 5 user properties of the message: what a tracer's propagator
 * writes there ({@code traceparent}, {@code tracestate}, baggage) is sent with the
 * message. On MQTT 3.x, which has no user properties, nothing written there is sent.
 *
 * @author mqttboot
 */
public class MqttPublishObservationContext extends SenderContext<Map<String, String>> {

	private final String connectionName;

	private final String topic;

	private final int qos;

	private final boolean retain;

	/**
	 * Create a context.
	 * @param connectionName the name of the connection
	 * @param topic the topic of the message
	 * @param qos the QoS of the message
	 * @param retain the retain flag of the message
	 * @param userProperties the user properties of the message, copied into the carrier
	 */
	public MqttPublishObservationContext(String connectionName, String topic, int qos, boolean retain,
			Map<String, String> userProperties) {
		super((carrier, key, value) -> {
			if (carrier != null) {
				carrier.put(key, value);
			}
		});
		this.connectionName = connectionName;
		this.topic = topic;
		this.qos = qos;
		this.retain = retain;
		setCarrier(new LinkedHashMap<>(userProperties));
	}

	/**
	 * Return the name of the connection the message is sent on.
	 * @return the connection name, {@code default} for the default connection
	 */
	public String getConnectionName() {
		return this.connectionName;
	}

	/**
	 * Return the topic of the message.
	 * @return the topic
	 */
	public String getTopic() {
		return this.topic;
	}

	/**
	 * Return the QoS of the message.
	 * @return 0, 1 or 2
	 */
	public int getQos() {
		return this.qos;
	}

	/**
	 * Return the retain flag of the message.
	 * @return whether the broker retains the message
	 */
	public boolean isRetain() {
		return this.retain;
	}

	/**
	 * Return the user properties the message is sent with (MQTT 5): those of the message
	 * and those the propagator wrote.
	 * @return the user properties
	 */
	public Map<String, String> getUserProperties() {
		Map<String, String> carrier = getCarrier();
		return (carrier != null) ? carrier : Map.of();
	}

}
