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
 * Told by the starter's client managers when the broker accepted a connection, when
 * a connection is lost and when an attempt failed, on Paho's callback thread: a listener must return quickly and
 * never block.
 *
 * @author mqttboot
 * @see MqttConnectionStatus#addConnectionListener(ConnectionListener)
 */
interface ConnectionListener {

	/**
	 * The broker accepted the connection with its CONNACK.
	 * @param serverUri the server URI, with the MQTT schemes and without credentials
	 * @param sessionPresent whether the broker had a session of the client
	 * @param reconnect whether this is not the first connection of the client manager
	 */
	void connected(String serverUri, boolean sessionPresent, boolean reconnect);

	/**
	 * The connection is lost (or ended while the application stops): told first thing,
	 * before Paho can report the next connection.
	 * @param cause the failure Paho reported, or {@code null} for an MQTT 5 DISCONNECT
	 * from the broker
	 * @param reasonCode the reason code of the broker's DISCONNECT (MQTT 5) or Paho's
	 * client reason code of the failure, or {@code null}
	 */
	void lost(@Nullable Throwable cause, @Nullable Integer reasonCode);

	/**
	 * A connection attempt failed (refused, timed out, or lost before it completed); the
	 * client manager retries it with its back-off. The default does nothing.
	 * @param reason why, without credentials
	 */
	default void attemptFailed(String reason) {
	}

}
