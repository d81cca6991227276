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
package io.mqttboot.listener;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.integration.mqtt.core.AbstractMqttClientManager;
import org.springframework.integration.mqtt.core.ClientManager;
import org.springframework.util.ClassUtils;

/**
 * What the listeners need from the shared connection, for Paho v5 and v3: one default
 * message handler and one connect callback on the {@link ClientManager}, subscriptions
 * without per-subscription Paho listeners (so that every message reaches the default
 * handler, whatever Paho's listener matching does with shared and overlapping filters),
 * and manual acknowledgement.
 *
 * @author mqttboot
 */
abstract class ListenerClient {

	private static final boolean V5_PRESENT = ClassUtils.isPresent(
			"org.eclipse.paho.mqttv5.client.MqttConnectionOptions", ListenerClient.class.getClassLoader());

	private static final boolean V3_PRESENT = ClassUtils.isPresent(
			"org.eclipse.paho.client.mqttv3.MqttConnectOptions", ListenerClient.class.getClassLoader());

	protected final Log logger = LogFactory.getLog(MqttListenerEndpointRegistry.class);

	private final ClientManager<?, ?> clientManager;

	private final AtomicLong connection = new AtomicLong();

	private final ClientManager.ConnectCallback connectCallback = this::connected;

	private @Nullable Consumer<InboundMessage> messages;

	private @Nullable Runnable connected;

	protected ListenerClient(ClientManager<?, ?> clientManager) {
		this.clientManager = clientManager;
	}

	/**
	 * Return the client of a {@link ClientManager}.
	 * @param clientManager the client manager
	 * @return the client
	 * @throws IllegalStateException if the client manager is neither Paho v5 nor v3
	 */
	static ListenerClient of(ClientManager<?, ?> clientManager) {
		Object options = clientManager.getConnectionInfo();
		if (V5_PRESENT && Mqttv5ListenerClient.supports(options)) {
			return new Mqttv5ListenerClient(clientManager);
		}
		if (V3_PRESENT && Mqttv3ListenerClient.supports(options)) {
			return new Mqttv3ListenerClient(clientManager);
		}
		throw new IllegalStateException("Unsupported MQTT ClientManager " + clientManager.getClass().getName()
				+ ": @MqttListener needs a Paho v5 or v3 client manager");
	}

	protected ClientManager<?, ?> getClientManager() {
		return this.clientManager;
	}

	/**
	 * Turn on manual acknowledgement on the client manager, if it can.
	 * @return whether messages are acknowledged manually now
	 */
	boolean enableManualAcks() {
		if (this.clientManager instanceof AbstractMqttClientManager<?, ?> manager && !manager.isManualAcks()) {
			manager.setManualAcks(true);
		}
		return this.clientManager.isManualAcks();
	}

	/**
	 * Register the default message handler and the connect callback.
	 * @param messages receives every message that no per-subscription Paho listener took
	 * @param connected called on every (re)connection
	 */
	void open(Consumer<InboundMessage> messages, Runnable connected) {
		this.messages = messages;
		this.connected = connected;
		this.clientManager.addCallback(this.connectCallback);
		addDefaultMessageHandler();
	}

	/**
	 * Remove the default message handler and the connect callback.
	 */
	void close() {
		this.clientManager.removeCallback(this.connectCallback);
		removeDefaultMessageHandler();
	}

	private void connected(boolean isReconnect) {
		this.connection.incrementAndGet();
		Runnable callback = this.connected;
		if (callback != null) {
			try {
				callback.run();
			}
			catch (RuntimeException ex) {
				this.logger.error("Could not restore the subscriptions of the MQTT listeners", ex);
			}
		}
	}

	protected void deliver(InboundMessage message) {
		Consumer<InboundMessage> consumer = this.messages;
		if (consumer != null) {
			consumer.accept(message);
		}
	}

	protected long currentConnection() {
		return this.connection.get();
	}

	/**
	 * Return whether the connection is up.
	 * @return whether the connection is up
	 */
	boolean isConnected() {
		return this.clientManager.isConnected();
	}

	/**
	 * Return the client id, for log messages.
	 * @return the client id
	 */
	String getClientId() {
		return this.clientManager.getClientId();
	}

	/**
	 * Acknowledge a message to the broker, unless it arrived on an earlier connection
	 * (the broker then redelivers it to a persistent session, or has forgotten it).
	 * @param message the message
	 */
	void acknowledge(InboundMessage message) {
		if (message.qos() == 0 || !this.clientManager.isManualAcks()
				|| message.connection() != this.connection.get()) {
			return;
		}
		try {
			doAcknowledge(message);
		}
		catch (Exception ex) {
			if (this.logger.isDebugEnabled()) {
				this.logger.debug("Could not acknowledge message " + message.id() + " on topic '" + message.topic()
						+ "'; the broker will redeliver it to a persistent session", ex);
			}
		}
	}

	/**
	 * Return whether this is an MQTT 5 connection.
	 * @return whether this is MQTT 5
	 */
	abstract boolean isV5();

	/**
	 * Return whether the server accepts subscription identifiers on the current
	 * connection.
	 * @return whether subscription identifiers can be used
	 */
	abstract boolean supportsSubscriptionIdentifiers();

	/**
	 * Send a SUBSCRIBE for one subscription, without waiting.
	 * @param subscription the subscription
	 * @param subscriptionId the MQTT 5 subscription identifier, or {@code null}
	 * @param result told about the SUBACK
	 */
	abstract void subscribe(ListenerSubscription subscription, @Nullable Integer subscriptionId,
			SubscribeResult result);

	/**
	 * Send an UNSUBSCRIBE, without waiting.
	 * @param topicFilter the subscription's topic filter
	 */
	abstract void unsubscribe(String topicFilter);

	protected abstract void doAcknowledge(InboundMessage message) throws Exception;

	protected abstract void addDefaultMessageHandler();

	protected abstract void removeDefaultMessageHandler();

	/**
	 * The outcome of a SUBSCRIBE.
	 */
	interface SubscribeResult {

		/**
		 * The broker granted the subscription.
		 * @param qos the granted QoS
		 */
		void granted(int qos);

		/**
		 * The broker refused the subscription, or it could not be sent.
		 * @param reason why, for logs and health details
		 */
		void refused(String reason);

	}

}
