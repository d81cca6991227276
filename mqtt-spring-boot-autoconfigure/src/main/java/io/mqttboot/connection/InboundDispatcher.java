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

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.integration.mqtt.core.ClientManager;

/**
 * The one inbound path of a {@link MqttConnection}: the only default message handler and
 * connect callback that the starter registers on its client manager, whoever opened it
 * (the listeners, the template's request/response). It numbers the connections (a
 * number changes on every connection and, with the starter's client managers, on every
 * loss), hands every message to every {@link MqttInboundReceiver receiver}, and
 * acknowledges it exactly once through an {@link InboundDelivery}, on the connection it
 * arrived on only.
 *
 * @author mqttboot
 */
final class InboundDispatcher {

	private static final Log logger = LogFactory.getLog(InboundDispatcher.class);

	private static final int MAX_LOGGED_UNCLAIMED_TOPICS = 100;

	private final MqttConnection connection;

	private final List<MqttInboundReceiver> receivers = new CopyOnWriteArrayList<>();

	private final AtomicLong connectionNumber = new AtomicLong();

	private final Set<String> unclaimedTopics = ConcurrentHashMap.newKeySet();

	private final ClientManager.DefaultMessageHandler<Object> messageHandler = this::messageArrived;

	private final ClientManager.ConnectCallback connectCallback = this::connected;

	private final Object monitor = new Object();

	// QoS 2 exactly once (MQTT 3): created with the first receiver, when manual
	// acknowledgements are on
	private volatile @Nullable InboundQos2Receipts qos2Receipts;

	private boolean qos2ReceiptsCreated;

	InboundDispatcher(MqttConnection connection) {
		this.connection = connection;
	}

	/**
	 * Add a receiver, registering the dispatcher on the client manager with the first
	 * one.
	 * @param receiver the receiver
	 */
	void attach(MqttInboundReceiver receiver) {
		synchronized (this.monitor) {
			if (!this.qos2ReceiptsCreated) {
				this.qos2ReceiptsCreated = true;
				this.qos2Receipts = this.connection.createQos2Receipts(this.connectionNumber::get);
			}
			if (this.receivers.isEmpty()) {
				ClientManager<?, ?> clientManager = this.connection.getClientManager();
				clientManager.addCallback(this.connectCallback);
				clientManager.addDefaultMessageHandler(this.messageHandler);
			}
			if (!this.receivers.contains(receiver)) {
				this.receivers.add(receiver);
			}
		}
	}

	/**
	 * Remove a receiver; the last one unregisters the dispatcher.
	 * @param receiver the receiver
	 */
	void detach(MqttInboundReceiver receiver) {
		synchronized (this.monitor) {
			if (this.receivers.remove(receiver) && this.receivers.isEmpty()) {
				ClientManager<?, ?> clientManager = this.connection.getClientManager();
				clientManager.removeCallback(this.connectCallback);
				clientManager.removeDefaultMessageHandler(this.messageHandler);
			}
		}
	}

	/**
	 * Count a lost connection, so that the messages that arrived on it are no longer
	 * acknowledged (Paho reports the next connection only after its CONNACK, when the
	 * broker may already resend them). Told by the starter's client managers; with
	 * others, only connections are counted.
	 */
	void connectionLost() {
		InboundQos2Receipts receipts = this.qos2Receipts;
		if (receipts != null) {
			receipts.connectionLost(this.connectionNumber::incrementAndGet);
		}
		else {
			this.connectionNumber.incrementAndGet();
		}
	}

	long currentConnection() {
		return this.connectionNumber.get();
	}

	/**
	 * Acknowledge a message to the broker when the client manager uses manual
	 * acknowledgements, unless it arrived on an earlier connection (the broker then
	 * redelivers it to a persistent session, or has forgotten it).
	 * @param message the message
	 */
	void acknowledge(InboundMessage message) {
		if (message.qos() == 0 || !this.connection.getClientManager().isManualAcks()) {
			return;
		}
		InboundQos2Receipts receipts = this.qos2Receipts;
		if (message.qos() == 2 && receipts != null) {
			// completed on the connection of its latest PUBREL, whichever that is
			receipts.completed(message);
			return;
		}
		if (message.connection() != this.connectionNumber.get()) {
			return;
		}
		this.connection.acknowledge(message);
	}

	/**
	 * A message is left unacknowledged: for QoS 2 received exactly once, the PUBREL the
	 * broker sends again delivers it again.
	 * @param message the message
	 */
	void abandoned(InboundMessage message) {
		InboundQos2Receipts receipts = this.qos2Receipts;
		if (message.qos() == 2 && receipts != null) {
			receipts.abandoned(message);
		}
	}

	private void messageArrived(String topic, Object message) {
		// Never let an exception reach Paho: it would drop the connection (paho#549).
		try {
			InboundMessage inbound = this.connection.toInboundMessage(topic, message, this.connectionNumber.get());
			InboundQos2Receipts receipts = this.qos2Receipts;
			if (inbound.qos() == 2 && receipts != null && this.connection.getClientManager().isManualAcks()
					&& !receipts.arrived(inbound)) {
				// a PUBREL sent again for a message with the listeners or done
				return;
			}
			InboundDelivery delivery = new InboundDelivery(inbound, this);
			boolean claimed = false;
			for (MqttInboundReceiver receiver : this.receivers) {
				try {
					claimed |= receiver.receive(delivery);
				}
				catch (RuntimeException ex) {
					claimed = true;
					logger.error("Could not dispatch an MQTT message from topic '" + topic + "' to " + receiver, ex);
				}
			}
			if (!claimed) {
				if (othersReceive()) {
					// Paho hands messages that its per-subscription listeners miss (shared
					// subscriptions without identifiers) to every default handler: one of
					// a Spring Integration adapter, which acknowledges its own.
					delivery.leaveUnacknowledged();
				}
				else {
					unclaimed(topic);
				}
			}
			delivery.release();
		}
		catch (Throwable ex) {
			logger.error("Could not dispatch an MQTT message from topic '" + topic + "'", ex);
		}
	}

	// Whether default message handlers other than this one are registered (known for the
	// starter's client managers only).
	private boolean othersReceive() {
		return this.connection.getDefaultMessageHandlerCount() > 1;
	}

	private void unclaimed(String topic) {
		// E.g. left over in a persistent session: acknowledged all the same, or the
		// broker's in-flight window fills up.
		if (this.unclaimedTopics.size() < MAX_LOGGED_UNCLAIMED_TOPICS && this.unclaimedTopics.add(topic)) {
			logger.warn("MQTT message on '" + topic + "' matches no subscription of the application's listeners or "
					+ "template (a subscription left in a persistent session?); acknowledged and dropped (logged "
					+ "once per topic)");
		}
	}

	private void connected(boolean isReconnect) {
		this.connectionNumber.incrementAndGet();
		for (MqttInboundReceiver receiver : this.receivers) {
			try {
				receiver.connected();
			}
			catch (RuntimeException ex) {
				logger.error("MQTT connection listener " + receiver + " failed", ex);
			}
		}
	}

}
