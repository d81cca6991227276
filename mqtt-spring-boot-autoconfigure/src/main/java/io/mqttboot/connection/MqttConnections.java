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

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.util.Assert;

/**
 * The {@link MqttConnection}s of one application context, by name: the default one and
 * each named one. Looked up from the context on first use, so that connections
 * registered by any configuration are found; nothing is shared between contexts.
 *
 * @author mqttboot
 */
public class MqttConnections {

	private final ListableBeanFactory beanFactory;

	private volatile @Nullable Map<String, MqttConnection> connections;

	/**
	 * Create the connections of a context.
	 * @param beanFactory the bean factory of the context
	 */
	public MqttConnections(ListableBeanFactory beanFactory) {
		Assert.notNull(beanFactory, "'beanFactory' must not be null");
		this.beanFactory = beanFactory;
	}

	/**
	 * Return the connection of the given name.
	 * @param name the name, {@link MqttConnection#DEFAULT_NAME} for the default one
	 * @return the connection
	 * @throws IllegalArgumentException if there is no connection of that name
	 */
	public MqttConnection get(String name) {
		MqttConnection connection = connections().get(name);
		if (connection == null) {
			throw new IllegalArgumentException("No MQTT connection named '" + name + "'; the connections are "
					+ getNames() + " (named connections are configured under mqtt.connections.<name>)");
		}
		return connection;
	}

	/**
	 * Return the names of the connections, the default one first.
	 * @return the names
	 */
	public Set<String> getNames() {
		return connections().keySet();
	}

	/**
	 * Return every connection, the default one first.
	 * @return the connections
	 */
	public Collection<MqttConnection> getAll() {
		return connections().values();
	}

	private Map<String, MqttConnection> connections() {
		Map<String, MqttConnection> connections = this.connections;
		if (connections == null) {
			Map<String, MqttConnection> found = new LinkedHashMap<>();
			// Named connections are not default candidates: only a lookup of every bean
			// of the type finds them.
			Collection<MqttConnection> beans = this.beanFactory.getBeansOfType(MqttConnection.class).values();
			beans.stream()
				.filter((connection) -> connection.getName().equals(MqttConnection.DEFAULT_NAME))
				.forEach((connection) -> found.put(connection.getName(), connection));
			beans.forEach((connection) -> {
				MqttConnection other = found.putIfAbsent(connection.getName(), connection);
				Assert.state(other == null || other == connection,
						() -> "Two MQTT connections are named '" + connection.getName() + "'");
			});
			connections = Collections.unmodifiableMap(found);
			this.connections = connections;
		}
		return connections;
	}

}
