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

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.integration.mqtt.core.ClientManager;

/**
 * The one inbound path of a client manager: its only default message handler and
 * connect callback registered by the starter, whoever opened it (the listener registry,
 * the template's request/response, another template on the same manager). It numbers
 * the connections (a number changes on every connection and, with the starter's client
 * managers, on every loss), hands every message to every {@link MqttInboundReceiver
 * receiver}, and acknowledges it exactly once through an {@link InboundDelivery}, on the
 * connection it arrived on only.
 *
 * @author mqttboot
 */
final class InboundDispatcher {

	private static final Log logger = LogFactory.getLog(InboundDispatcher.class);

	private static final int MAX_LOGGED_UNCLAIMED_TOPICS = 100;

	private static final Map<ClientManager<?, ?>, InboundDispatcher> dispatchers = new IdentityHashMap<>();

	private final MqttClientAdapter adapter;

	private final List<MqttInboundReceiver> receivers = new CopyOnWriteArrayList<>();

	private final AtomicLong connection = new AtomicLong();

	private final Set<String> unclaimedTopics = ConcurrentHashMap.newKeySet();

	private final ClientManager.DefaultMessageHandler<Object> messageHandler = this::messageArrived;

	private final ClientManager.ConnectCallback connectCallback = this::connected;

	private InboundDispatcher(MqttClientAdapter adapter) {
		this.adapter = adapter;
	}

	/**
	 * Add a receiver to the dispatcher of the adapter's client manager, creating and
	 * registering the dispatcher with the first receiver.
	 * @param adapter the adapter
	 * @param receiver the receiver
	 */
	static void attach(MqttClientAdapter adapter, MqttInboundReceiver receiver) {
		ClientManager<?, ?> clientManager = adapter.getClientManager();
		synchronized (dispatchers) {
			InboundDispatcher dispatcher = dispatchers.get(clientManager);
			if (dispatcher == null) {
				dispatcher = new InboundDispatcher(adapter);
				dispatchers.put(clientManager, dispatcher);
				clientManager.addCallback(dispatcher.connectCallback);
				clientManager.addDefaultMessageHandler(dispatcher.messageHandler);
			}
			if (!dispatcher.receivers.contains(receiver)) {
				dispatcher.receivers.add(receiver);
			}
		}
	}

	/**
	 * Remove a receiver; the last one unregisters the dispatcher.
	 * @param adapter an adapter of the client manager
	 * @param receiver the receiver
	 */
	static void detach(MqttClientAdapter adapter, MqttInboundReceiver receiver) {
		ClientManager<?, ?> clientManager = adapter.getClientManager();
		synchronized (dispatchers) {
			InboundDispatcher dispatcher = dispatchers.get(clientManager);
			if (dispatcher != null && dispatcher.receivers.remove(receiver) && dispatcher.receivers.isEmpty()) {
				dispatchers.remove(clientManager);
				clientManager.removeCallback(dispatcher.connectCallback);
				clientManager.removeDefaultMessageHandler(dispatcher.messageHandler);
			}
		}
	}

	/**
	 * Return the dispatcher of a client manager, if a receiver is attached.
	 * @param clientManager the client manager
	 * @return the dispatcher, or {@code null}
	 */
	static @Nullable InboundDispatcher of(ClientManager<?, ?> clientManager) {
		synchronized (dispatchers) {
			return dispatchers.get(clientManager);
		}
	}

	/**
	 * Count a lost connection of a client manager, so that the messages that arrived on
	 * it are no longer acknowledged (Paho reports the next connection only after its
	 * CONNACK, when the broker may already resend them). Called by the starter's client
	 * managers; others only count connections.
	 * @param clientManager the client manager
	 */
	static void connectionLost(ClientManager<?, ?> clientManager) {
		InboundDispatcher dispatcher = of(clientManager);
		if (dispatcher != null) {
			dispatcher.connection.incrementAndGet();
		}
	}

	long currentConnection() {
		return this.connection.get();
	}

	/**
	 * Acknowledge a message to the broker when the client manager uses manual
	 * acknowledgements, unless it arrived on an earlier connection (the broker then
	 * redelivers it to a persistent session, or has forgotten it).
	 * @param message the message
	 */
	void acknowledge(InboundMessage message) {
		if (message.qos() == 0 || message.connection() != this.connection.get()
				|| !this.adapter.getClientManager().isManualAcks()) {
			return;
		}
		this.adapter.acknowledge(message);
	}

	private void messageArrived(String topic, Object message) {
		// Never let an exception reach Paho: it would drop the connection (paho#549).
		try {
			InboundDelivery delivery = new InboundDelivery(
					this.adapter.toInboundMessage(topic, message, this.connection.get()), this);
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
		return this.adapter.getDefaultMessageHandlerCount() > 1;
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
		this.connection.incrementAndGet();
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
