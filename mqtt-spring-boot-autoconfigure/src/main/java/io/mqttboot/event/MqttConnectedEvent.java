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
package io.mqttboot.event;

import org.springframework.context.ApplicationEvent;
import org.springframework.util.Assert;

/**
 * Published when the broker accepted a connection with its CONNACK: the first time and
 * after every reconnect. The source is the {@code io.mqttboot.connection.MqttConnection}.
 * <p>
 * The starter publishes it on a thread of the connection ({@code mqtt-events-<name>}),
 * never on Paho's callback thread, one event of a connection at a time and in the order
 * things happened: a listener may block, for example on
 * {@code template.send(...).join()}, without stalling the connection (it delays later
 * events of the same connection). By the time a listener runs, the connection may have
 * been lost again: a {@link MqttConnectionLostEvent} then follows.
 *
 * @author mqttboot
 */
public class MqttConnectedEvent extends ApplicationEvent {

	private final String connectionName;

	private final String serverUri;

	private final String clientId;

	private final boolean sessionPresent;

	private final boolean reconnect;

	/**
	 * Create a new event.
	 * @param source the connection ({@code io.mqttboot.connection.MqttConnection})
	 * @param connectionName the name of the connection ({@code default} for the default
	 * one)
	 * @param serverUri the URI of the server that accepted the connection
	 * @param clientId the client identifier
	 * @param sessionPresent whether the broker had a session of this client
	 * @param reconnect whether the connection was established before
	 */
	public MqttConnectedEvent(Object source, String connectionName, String serverUri, String clientId,
			boolean sessionPresent, boolean reconnect) {
		super(source);
		Assert.hasText(connectionName, "'connectionName' must not be empty");
		this.connectionName = connectionName;
		this.serverUri = serverUri;
		this.clientId = clientId;
		this.sessionPresent = sessionPresent;
		this.reconnect = reconnect;
	}

	/**
	 * Return the name of the connection: {@code default}, or the name of a
	 * {@code mqtt.connections.<name>} entry.
	 * @return the connection name
	 */
	public String getConnectionName() {
		return this.connectionName;
	}

	/**
	 * Return the URI of the server that accepted the connection, with the MQTT schemes
	 * ({@code mqtt://}, {@code mqtts://}, {@code ws://}, {@code wss://}) and without
	 * credentials.
	 * @return the server URI
	 */
	public String getServerUri() {
		return this.serverUri;
	}

	/**
	 * Return the client identifier of the connection.
	 * @return the client identifier
	 */
	public String getClientId() {
		return this.clientId;
	}

	/**
	 * Return whether the broker said in its CONNACK that it had kept a session of this
	 * client (its subscriptions and queued messages).
	 * @return whether a session was present
	 */
	public boolean isSessionPresent() {
		return this.sessionPresent;
	}

	/**
	 * Return whether this is a reconnection: {@code false} for the first connection of
	 * the application, {@code true} for every later one.
	 * @return whether this is a reconnection
	 */
	public boolean isReconnect() {
		return this.reconnect;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[connection=" + this.connectionName + ", server=" + this.serverUri
				+ ", clientId=" + this.clientId + ", sessionPresent=" + this.sessionPresent + ", reconnect="
				+ this.reconnect + "]";
	}

}
