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
package io.mqttboot.metrics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.mqttboot.connection.MqttConnection;
import io.mqttboot.connection.MqttConnectionStatistics;
import io.mqttboot.core.MqttTemplate;
import io.mqttboot.listener.MqttListenerEndpointRegistry;
import io.mqttboot.listener.MqttListenerStatistics;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Binds the meters of the MQTT connections, their templates and their listeners, each
 * tagged with {@code connection} (the connection name, {@code default} for the default
 * one) and, for listeners, {@code listener.id}. Topic names are never tags.
 * <ul>
 * <li>{@code mqtt.connections}: gauge, 1 while connected, else 0;</li>
 * <li>{@code mqtt.connection.attempts}: counter, tagged {@code outcome}
 * ({@code success}, {@code failure});</li>
 * <li>{@code mqtt.connection.lost}: counter of established connections lost;</li>
 * <li>{@code mqtt.publish.inflight}, {@code mqtt.publish.buffered}: gauges of the sends of
 * the connection's templates in flight and waiting in their buffers;</li>
 * <li>{@code mqtt.listener.queued}: gauge of the messages a listener received and has not
 * handled yet;</li>
 * <li>{@code mqtt.listener.dropped}: counter of the QoS 0 messages dropped for a full
 * listener queue.</li>
 * </ul>
 * The connections, templates and listeners are those present when the meters are bound.
 *
 * @author mqttboot
 */
public class MqttMetrics implements MeterBinder {

	private final Supplier<? extends Collection<MqttConnection>> connections;

	private final Supplier<? extends Collection<MqttTemplate>> templates;

	private final @Nullable MqttListenerEndpointRegistry listeners;

	/**
	 * Create the meters of the given connections, templates and listeners, each looked up
	 * when the meters are bound.
	 * @param connections the connections
	 * @param templates the templates
	 * @param listeners the listener registry, or {@code null} for no listener meters
	 */
	public MqttMetrics(Supplier<? extends Collection<MqttConnection>> connections,
			Supplier<? extends Collection<MqttTemplate>> templates, @Nullable MqttListenerEndpointRegistry listeners) {
		Assert.notNull(connections, "'connections' must not be null");
		Assert.notNull(templates, "'templates' must not be null");
		this.connections = connections;
		this.templates = templates;
		this.listeners = listeners;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Collection<MqttTemplate> templates = this.templates.get();
		for (MqttConnection connection : this.connections.get()) {
			Tags tags = Tags.of("connection", connection.getName());
			bindConnection(registry, connection, tags);
			List<MqttTemplate> ofConnection = new ArrayList<>();
			templates.stream().filter((template) -> template.getConnection() == connection).forEach(ofConnection::add);
			if (!ofConnection.isEmpty()) {
				bindTemplates(registry, ofConnection, tags);
			}
		}
		MqttListenerEndpointRegistry listeners = this.listeners;
		if (listeners != null) {
			for (String id : listeners.getListenerIds()) {
				Tags tags = Tags.of("connection", listeners.getDescription(id).connection(), "listener.id", id);
				bindListener(registry, listeners.getStatistics(id), tags);
			}
		}
	}

	private static void bindConnection(MeterRegistry registry, MqttConnection connection, Tags tags) {
		MqttConnectionStatistics statistics = connection.getStatistics();
		Gauge.builder("mqtt.connections", connection, (c) -> c.isConnected() ? 1 : 0)
			.description("Whether the connection is up: 1 while connected, else 0")
			.tags(tags)
			.register(registry);
		FunctionCounter
			.builder("mqtt.connection.attempts", statistics, MqttConnectionStatistics::getSuccessfulAttempts)
			.description("Connection attempts")
			.tags(tags)
			.tag("outcome", "success")
			.register(registry);
		FunctionCounter.builder("mqtt.connection.attempts", statistics, MqttConnectionStatistics::getFailedAttempts)
			.description("Connection attempts")
			.tags(tags)
			.tag("outcome", "failure")
			.register(registry);
		FunctionCounter.builder("mqtt.connection.lost", statistics, MqttConnectionStatistics::getLostConnections)
			.description("Established connections that were lost")
			.tags(tags)
			.register(registry);
	}

	private static void bindTemplates(MeterRegistry registry, List<MqttTemplate> templates, Tags tags) {
		Gauge.builder("mqtt.publish.inflight", templates, sum(MqttTemplate::getInflightCount))
			.description("Publishes sent and not yet acknowledged by the broker")
			.tags(tags)
			.strongReference(true)
			.register(registry);
		Gauge.builder("mqtt.publish.buffered", templates, sum(MqttTemplate::getBufferedCount))
			.description("Sends waiting for the connection")
			.tags(tags)
			.strongReference(true)
			.register(registry);
	}

	private static void bindListener(MeterRegistry registry, MqttListenerStatistics statistics, Tags tags) {
		Gauge.builder("mqtt.listener.queued", statistics, MqttListenerStatistics::getQueued)
			.description("Messages received by the listener and not handled yet")
			.tags(tags)
			.strongReference(true)
			.register(registry);
		FunctionCounter.builder("mqtt.listener.dropped", statistics, MqttListenerStatistics::getDropped)
			.description("QoS 0 messages dropped because the listener's queue was full")
			.tags(tags)
			.register(registry);
	}

	private static ToDoubleFunction<List<MqttTemplate>> sum(ToIntFunction<MqttTemplate> count) {
		return (templates) -> templates.stream().mapToInt(count).sum();
	}

}
