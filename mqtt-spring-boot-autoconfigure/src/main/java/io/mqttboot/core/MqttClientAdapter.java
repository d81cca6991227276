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
package io.mqttboot.core;

import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import org.springframework.integration.mqtt.core.ClientManager;
import org.springframework.util.ClassUtils;

/**
 * The version-neutral view of the one managed MQTT connection that the template and the
 * listeners work through: publish, subscribe and acknowledge on the Paho client of a
 * Spring Integration {@link ClientManager}, whichever the protocol version. Every
 * operation is asynchronous and never blocks; the client is looked up on each call, as a
 * manager may replace it when it is restarted.
 *
 * @author mqttboot
 */
public interface MqttClientAdapter {

	/**
	 * Paho client reason code: the client is not connected.
	 */
	int NOT_CONNECTED = 32104;

	/**
	 * Paho client reason code: too many publishes in progress (the in-flight window is
	 * full).
	 */
	int MAX_INFLIGHT = 32202;

	/**
	 * Return the client manager this adapter works on.
	 * @return the client manager
	 */
	ClientManager<?, ?> getClientManager();

	/**
	 * Return the protocol version of the connection.
	 * @return the protocol version
	 */
	MqttProtocolVersion getProtocolVersion();

	/**
	 * Return the client identifier.
	 * @return the client identifier
	 */
	String getClientId();

	/**
	 * Return whether the client is connected now.
	 * @return whether the client is connected
	 */
	boolean isConnected();

	/**
	 * Return why the connection was last lost, when the client manager knows.
	 * @return the reason, or {@code null}
	 */
	@Nullable String getLastDisconnectReason();

	/**
	 * Return how many publishes the client lets be in flight at once: for MQTT 5 the
	 * Receive Maximum of the server when known (65535 otherwise), for MQTT 3.x Paho's
	 * configured maximum.
	 * @return the client's in-flight limit
	 */
	int getInflightLimit();

	/**
	 * Publish a message. The future completes when the broker has acknowledged it (QoS 1
	 * PUBACK, QoS 2 PUBCOMP) or, for QoS 0, when it has been written; it fails with a
	 * {@link MqttPublishException} otherwise ({@link #MAX_INFLIGHT} when Paho's in-flight
	 * window is full, {@link #NOT_CONNECTED} when not connected).
	 * @param message the message; MQTT 5 properties are ignored by MQTT 3.x adapters
	 * @return a future completed on acknowledgement
	 */
	CompletableFuture<Void> publish(MqttOutboundMessage message);

	/**
	 * Subscribe to a topic filter, without a per-subscription listener: messages reach
	 * the {@link ClientManager#addDefaultMessageHandler default message handlers} of the
	 * manager.
	 * @param topicFilter the topic filter
	 * @param qos the maximum QoS
	 * @return a future completed with the granted QoS, failed if the broker refused
	 */
	CompletableFuture<Integer> subscribe(String topicFilter, int qos);

	/**
	 * Acknowledge a received QoS 1 or 2 message when the client manager uses manual
	 * acknowledgements; does nothing otherwise.
	 * @param messageId the message identifier
	 * @param qos the QoS the message was received with
	 */
	void acknowledge(int messageId, int qos);

	/**
	 * Return an adapter for the client of the given manager.
	 * @param clientManager a Spring Integration {@code Mqttv5ClientManager} or
	 * {@code Mqttv3ClientManager} (or any manager of Paho clients of either version)
	 * @return the adapter
	 * @throws IllegalArgumentException if the manager manages neither Paho client
	 */
	static MqttClientAdapter of(ClientManager<?, ?> clientManager) {
		ClassLoader classLoader = MqttClientAdapter.class.getClassLoader();
		if (ClassUtils.isPresent("org.eclipse.paho.mqttv5.client.IMqttAsyncClient", classLoader)
				&& Mqttv5ClientAdapter.supports(clientManager)) {
			return new Mqttv5ClientAdapter(clientManager);
		}
		if (ClassUtils.isPresent("org.eclipse.paho.client.mqttv3.IMqttAsyncClient", classLoader)
				&& Mqttv3ClientAdapter.supports(clientManager)) {
			return new Mqttv3ClientAdapter(clientManager);
		}
		throw new IllegalArgumentException("Unsupported ClientManager " + clientManager.getClass().getName()
				+ ": expected a manager of Paho MQTT 5 or MQTT 3 clients");
	}

}
