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
package io.mqttboot.actuate;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.mqttboot.connection.BrokerLimits;
import io.mqttboot.connection.MqttConnection;
import io.mqttboot.connection.MqttConnectionStatistics;
import io.mqttboot.core.MqttTemplate;
import io.mqttboot.listener.MqttListenerDescription;
import io.mqttboot.listener.MqttListenerEndpointRegistry;
import io.mqttboot.listener.MqttListenerStatistics;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.util.Assert;

/**
 * The {@code mqtt} actuator endpoint: {@code GET /actuator/mqtt} describes each
 * connection (server, client id, protocol version, state and since when, session, the
 * broker's limits), each listener (topic filters, QoS, group, running, message counts)
 * and each template (sends in flight and buffered); {@code POST
 * /actuator/mqtt/{listenerId}} with {@code {"running": false}} or {@code true} stops or
 * starts a listener. Neither credentials nor payloads are ever part of a response.
 *
 * @author mqttboot
 */
@Endpoint(id = "mqtt")
public class MqttEndpoint {

	private final Supplier<? extends Collection<MqttConnection>> connections;

	private final Supplier<? extends Map<String, MqttTemplate>> templates;

	private final @Nullable MqttListenerEndpointRegistry listeners;

	/**
	 * Create an endpoint.
	 * @param connections the connections, looked up on each request
	 * @param templates the templates by bean name, looked up on each request
	 * @param listeners the listener registry, or {@code null} when there are no listeners
	 */
	public MqttEndpoint(Supplier<? extends Collection<MqttConnection>> connections,
			Supplier<? extends Map<String, MqttTemplate>> templates, @Nullable MqttListenerEndpointRegistry listeners) {
		Assert.notNull(connections, "'connections' must not be null");
		Assert.notNull(templates, "'templates' must not be null");
		this.connections = connections;
		this.templates = templates;
		this.listeners = listeners;
	}

	/**
	 * Describe the connections, listeners and templates.
	 * @return the description
	 */
	@ReadOperation
	public MqttDescriptor mqtt() {
		List<ConnectionDescriptor> connections = this.connections.get()
			.stream()
			.map(MqttEndpoint::describe)
			.toList();
		MqttListenerEndpointRegistry registry = this.listeners;
		List<ListenerDescriptor> listeners = (registry != null)
				? registry.getListenerIds().stream().map((id) -> describe(registry, id)).toList() : List.of();
		List<TemplateDescriptor> templates = this.templates.get()
			.entrySet()
			.stream()
			.map((entry) -> new TemplateDescriptor(entry.getKey(), entry.getValue().getConnection().getName(),
					entry.getValue().getInflightCount(), entry.getValue().getBufferedCount()))
			.toList();
		return new MqttDescriptor(connections, listeners, templates);
	}

	/**
	 * Stop or start a listener: a stopped listener takes no new messages and its filters
	 * are unsubscribed (unless another running listener uses them); a started one
	 * subscribes again.
	 * @param listenerId the listener id
	 * @param running {@code false} to stop the listener, {@code true} to start it
	 * @return the listener after the change
	 */
	@WriteOperation
	public ListenerDescriptor listener(@Selector String listenerId, boolean running) {
		MqttListenerEndpointRegistry registry = this.listeners;
		if (registry == null || !registry.getListenerIds().contains(listenerId)) {
			throw new InvalidEndpointRequestException("No MQTT listener with id '" + listenerId + "'",
					"No MQTT listener with id '" + listenerId + "'; the ids are "
							+ ((registry != null) ? registry.getListenerIds() : List.of()));
		}
		if (running) {
			registry.start(listenerId);
		}
		else {
			registry.stop(listenerId);
		}
		return describe(registry, listenerId);
	}

	private static ConnectionDescriptor describe(MqttConnection connection) {
		MqttConnectionStatistics statistics = connection.getStatistics();
		return new ConnectionDescriptor(connection.getName(), connection.getServerUri(), connection.getClientId(),
				connection.getProtocolVersion().value(), connection.isConnected(), statistics.getSince(),
				statistics.isSessionPresent(), brokerLimits(connection));
	}

	/**
	 * Return the limits the broker announced in its CONNACK for the {@code broker} entry
	 * of a connection: empty for MQTT 3.x and until the first CONNACK.
	 * @param connection the connection
	 * @return the limits by name
	 */
	private static Map<String, Object> brokerLimits(MqttConnection connection) {
		BrokerLimits limits = connection.getBrokerLimits();
		return (limits.isAnnounced()) ? limits.toMap() : Map.of();
	}

	private static ListenerDescriptor describe(MqttListenerEndpointRegistry registry, String id) {
		MqttListenerDescription description = registry.getDescription(id);
		MqttListenerStatistics statistics = registry.getStatistics(id);
		return new ListenerDescriptor(id, description.connection(), description.topicFilters(), description.qos(),
				description.group(), description.concurrency(), registry.isRunning(id), statistics.getQueued(),
				statistics.getHandled(), statistics.getFailed(), statistics.getDropped());
	}

	/**
	 * The response of the endpoint.
	 *
	 * @param connections the connections, the default one first
	 * @param listeners the listeners, in registration order
	 * @param templates the templates
	 */
	public record MqttDescriptor(List<ConnectionDescriptor> connections, List<ListenerDescriptor> listeners,
			List<TemplateDescriptor> templates) implements OperationResponseBody {

	}

	/**
	 * One connection.
	 *
	 * @param name the connection name, {@code default} for the default one
	 * @param server the URI of the server, without credentials
	 * @param clientId the client id
	 * @param protocolVersion the protocol version ({@code 5}, {@code 3.1.1}, {@code 3.1})
	 * @param connected whether the client is connected now
	 * @param since when the connection was last established or lost, or {@code null} if
	 * it never was established
	 * @param sessionPresent whether the broker had a session at the last connection
	 * @param broker the limits the broker announced (MQTT 5 CONNACK), empty when unknown
	 */
	public record ConnectionDescriptor(String name, String server, String clientId, String protocolVersion,
			boolean connected, @Nullable Instant since, boolean sessionPresent, Map<String, Object> broker) {

	}

	/**
	 * One listener.
	 *
	 * @param id the listener id
	 * @param connection the name of its connection
	 * @param topicFilters its topic filters as subscribed
	 * @param qos the QoS it requests
	 * @param group its share group, or {@code null}
	 * @param concurrency the most messages it handles at once
	 * @param running whether it is running
	 * @param queued messages received and not handled yet
	 * @param handled messages handled, successfully or not
	 * @param failed messages whose handling failed
	 * @param dropped QoS 0 messages dropped for a full queue
	 */
	public record ListenerDescriptor(String id, String connection, List<String> topicFilters, int qos,
			@Nullable String group, int concurrency, boolean running, int queued, long handled, long failed,
			long dropped) implements OperationResponseBody {

	}

	/**
	 * One template.
	 *
	 * @param bean the bean name
	 * @param connection the name of the connection it publishes on
	 * @param inflight publishes sent and not acknowledged yet
	 * @param buffered sends waiting for the connection
	 */
	public record TemplateDescriptor(String bean, String connection, int inflight, int buffered) {

	}

}
