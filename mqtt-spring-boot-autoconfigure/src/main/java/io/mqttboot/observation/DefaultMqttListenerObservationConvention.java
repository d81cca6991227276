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
import io.mqttboot.observation.MqttListenerObservation.HighCardinalityKeyNames;
import io.mqttboot.observation.MqttListenerObservation.LowCardinalityKeyNames;

/**
 * The default convention of the {@link MqttListenerObservation#LISTENER mqtt.listener}
 * observation: name {@code mqtt.listener}, contextual (span) name
 * {@code <listener id> receive}, low-cardinality keys {@code connection},
 * {@code listener.id}; the received topic as the
 * high-cardinality key {@code topic}. Extend it to add keys.
 *
 * @author mqttboot
 */
public class DefaultMqttListenerObservationConvention implements MqttListenerObservationConvention {

	/**
	 * The shared instance.
	 */
	public static final DefaultMqttListenerObservationConvention INSTANCE =
			new DefaultMqttListenerObservationConvention();

	// The connection and listener id tags of each listener, by listener id and
	// connection: computed once, not on every invocation
	private final Map<String, Map<String, KeyValues>> byListener = new ConcurrentHashMap<>();

	/**
	 * Create the convention.
	 */
	public DefaultMqttListenerObservationConvention() {
	}

	@Override
	public String getName() {
		return "mqtt.listener";
	}

	@Override
	public String getContextualName(MqttListenerObservationContext context) {
		return context.getListenerId() + " receive";
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(MqttListenerObservationContext context) {
		KeyValues keyValues = this.byListener
			.computeIfAbsent(context.getListenerId(), (id) -> new ConcurrentHashMap<>())
			.computeIfAbsent(context.getConnectionName(),
					(connection) -> KeyValues.of(KeyValue.of(LowCardinalityKeyNames.CONNECTION, connection),
							KeyValue.of(LowCardinalityKeyNames.LISTENER_ID, context.getListenerId())));
		return keyValues;
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(MqttListenerObservationContext context) {
		return KeyValues.of(KeyValue.of(HighCardinalityKeyNames.TOPIC, context.getTopic()));
	}

}
