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

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.mqttboot.observation.MqttPublishObservation.HighCardinalityKeyNames;
import io.mqttboot.observation.MqttPublishObservation.LowCardinalityKeyNames;

/**
 * The default convention of the {@link MqttPublishObservation#PUBLISH mqtt.publish}
 * observation: name {@code mqtt.publish}, contextual (span) name {@code mqtt publish},
 * low-cardinality keys {@code connection}, {@code qos};
 * the topic as the high-cardinality key {@code topic}. Extend it to add keys.
 *
 * @author mqttboot
 */
public class DefaultMqttPublishObservationConvention implements MqttPublishObservationConvention {

	/**
	 * The shared instance.
	 */
	public static final DefaultMqttPublishObservationConvention INSTANCE =
			new DefaultMqttPublishObservationConvention();

	// The connection and QoS tags of each connection, by QoS: computed once, not on
	// every send
	private final Map<String, KeyValues[]> byConnection = new ConcurrentHashMap<>();

	/**
	 * Create the convention.
	 */
	public DefaultMqttPublishObservationConvention() {
	}

	@Override
	public String getName() {
		return "mqtt.publish";
	}

	@Override
	public String getContextualName(MqttPublishObservationContext context) {
		return "mqtt publish";
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(MqttPublishObservationContext context) {
		KeyValues keyValues = this.byConnection.computeIfAbsent(context.getConnectionName(),
				DefaultMqttPublishObservationConvention::connectionAndQos)[context.getQos()];
		return keyValues;
	}

	private static KeyValues[] connectionAndQos(String connection) {
		KeyValue connectionKey = KeyValue.of(LowCardinalityKeyNames.CONNECTION, connection);
		KeyValues[] keyValues = new KeyValues[3];
		for (int qos = 0; qos < 3; qos++) {
			keyValues[qos] = KeyValues.of(connectionKey, KeyValue.of(LowCardinalityKeyNames.QOS, String.valueOf(qos)));
		}
		return keyValues;
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(MqttPublishObservationContext context) {
		return KeyValues.of(KeyValue.of(HighCardinalityKeyNames.TOPIC, context.getTopic()));
	}

}
