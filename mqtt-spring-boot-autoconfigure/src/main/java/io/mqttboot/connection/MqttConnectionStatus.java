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

import org.jspecify.annotations.Nullable;

/**
 * What the starter's client managers know of their connection beyond what Spring
 * Integration's {@code ClientManager} tells; {@link MqttConnection} reads it, and falls
 * back to what any {@code ClientManager} tells for others.
 *
 * @author mqttboot
 */
interface MqttConnectionStatus {

	/**
	 * Return whether the client is connected now.
	 * @return whether the client is connected
	 */
	boolean isConnected();

	/**
	 * Return the client identifier.
	 * @return the client identifier
	 */
	String getClientId();

	/**
	 * Return the URI of the server the client is connected to, or the first configured
	 * one while it is not connected, with the MQTT schemes ({@code mqtt://},
	 * {@code mqtts://}, {@code ws://}, {@code wss://}) rather than Paho's {@code tcp://}
	 * and {@code ssl://}, with its port and, for WebSocket, its path.
	 * @return the server URI
	 */
	String getServerUri();

	/**
	 * Return the protocol version.
	 * @return the protocol version
	 */
	MqttProtocolVersion getProtocolVersion();

	/**
	 * Return why the connection was last lost or why the last attempt failed, or
	 * {@code null} if it never was.
	 * @return the reason, without credentials
	 */
	@Nullable String getLastDisconnectReason();

	/**
	 * Return why a takeover loop of the client id with another client is suspected (a
	 * takeover that repeats), while it is (until a connection stays up for the stable
	 * period), or {@code null}.
	 * @return the reason, or {@code null}
	 */
	default @Nullable String getSuspectedTakeover() {
		return null;
	}

	/**
	 * Return how many default message handlers are registered: the connection's inbound
	 * dispatcher and Spring Integration inbound adapters.
	 * @return the number of default message handlers
	 */
	int getDefaultMessageHandlerCount();

	/**
	 * Add a listener told when the broker accepted a connection, and first thing when the
	 * connection is lost, before Paho can report the next connection.
	 * @param listener the listener
	 */
	void addConnectionListener(ConnectionListener listener);

	/**
	 * Add a listener told when the client's in-flight limit changes. The default does
	 * nothing: the limit of an MQTT 3.x client is its configured maximum, which does not
	 * change.
	 * @param listener the listener
	 */
	default void addInflightLimitListener(Runnable listener) {
	}

	/**
	 * Return what the broker announced in the CONNACK of the last connection.
	 * @return the broker's limits, {@link BrokerLimits#unknown()} for MQTT 3.x
	 */
	default BrokerLimits getBrokerLimits() {
		return BrokerLimits.unknown();
	}

}
