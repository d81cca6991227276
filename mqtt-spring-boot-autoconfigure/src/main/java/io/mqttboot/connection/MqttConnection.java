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

import java.lang.ref.WeakReference;
import java.time.Clock;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import io.mqttboot.event.MqttConnectedEvent;
import io.mqttboot.event.MqttConnectionLostEvent;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationEventPublisherAware;
import org.springframework.integration.mqtt.core.AbstractMqttClientManager;
import org.springframework.integration.mqtt.core.ClientManager;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;

/**
 * One MQTT connection of the application: its name, its Spring Integration
 * {@link ClientManager}, its status and its one inbound path. The template, the
 * listeners and health of a connection all work through this object, whichever the
 * protocol version: publish, subscribe, receive and acknowledge. Every operation is
 * asynchronous and never blocks.
 * <p>
 * The starter creates one per connection (the {@link #DEFAULT_NAME default} one and
 * each named one) as a bean; create one yourself only for a {@code ClientManager} that
 * no other {@code MqttConnection} wraps, as each registers its own inbound dispatcher on
 * the manager. Get one with {@link #of(String, ClientManager)}.
 * <p>
 * With the starter's client managers, a connection publishes a
 * {@link MqttConnectedEvent} whenever the broker accepted it and a
 * {@link MqttConnectionLostEvent} whenever an established connection ended other than by
 * the application's stop, through the {@link ApplicationEventPublisher} of its context
 * (set when it is a bean). They are published on a thread of the connection
 * ({@code mqtt-events-<name>}, started when needed), never on Paho's callback thread, one
 * at a time and in order: an event listener may block (for example on
 * {@code template.send(...).join()}) without stalling the connection.
 *
 * @author mqttboot
 */
public abstract sealed class MqttConnection implements ApplicationEventPublisherAware
		permits Mqttv5Connection, Mqttv3Connection {

	/**
	 * The name of the default connection.
	 */
	public static final String DEFAULT_NAME = "default";

	/**
	 * Paho client reason code: the client is not connected.
	 */
	public static final int NOT_CONNECTED = 32104;

	/**
	 * Paho client reason code: too many publishes in progress (the in-flight window is
	 * full).
	 */
	public static final int MAX_INFLIGHT = 32202;

	/**
	 * The reason code a {@link PublishCallback} hears for a message the broker answered
	 * by closing the connection, twice: it is not sent again, by the template nor by the
	 * client's session.
	 */
	public static final int POISONED = -2;

	private static final boolean V5_PRESENT = ClassUtils.isPresent("org.eclipse.paho.mqttv5.client.IMqttAsyncClient",
			MqttConnection.class.getClassLoader());

	private static final boolean V3_PRESENT = ClassUtils.isPresent("org.eclipse.paho.client.mqttv3.IMqttAsyncClient",
			MqttConnection.class.getClassLoader());

	final Log logger = LogFactory.getLog(MqttConnection.class);

	private final String name;

	private final ClientManager<?, ?> clientManager;

	private final @Nullable MqttConnectionStatus status;

	private final InboundDispatcher dispatcher;

	private final AtomicBoolean established = new AtomicBoolean();

	private final MqttConnectionStatistics statistics;

	private final PoisonMessages poisonMessages = new PoisonMessages();

	// The callbacks of the messages the poison-message guard tracks, to fail a message
	// that the client's session (not the template) would send again
	private final Map<MqttOutboundMessage, PoisonTrackingCallback> poisonTracking = Collections
		.synchronizedMap(new WeakHashMap<>());

	private volatile boolean qos2AnsweredAsQos1;

	// At most one thread, started for an event and ended after a while without one
	private final ThreadPoolExecutor eventExecutor;

	private volatile @Nullable ApplicationEventPublisher eventPublisher;

	MqttConnection(String name, ClientManager<?, ?> clientManager) {
		Assert.hasText(name, "'name' must not be empty");
		this.name = name;
		this.clientManager = clientManager;
		this.status = (clientManager instanceof MqttConnectionStatus starterManager) ? starterManager : null;
		this.dispatcher = new InboundDispatcher(this);
		this.eventExecutor = new ThreadPoolExecutor(0, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
				(runnable) -> {
					Thread thread = new Thread(runnable, "mqtt-events-" + name);
					thread.setDaemon(true);
					return thread;
				});
		this.statistics = new MqttConnectionStatistics(Clock.systemUTC(), clientManager::isRunning);
		if (this.status != null) {
			this.status.addConnectionListener(this.statistics.listener());
			this.status.addConnectionListener(new EventPublishingListener());
		}
		else {
			clientManager.addCallback((isReconnect) -> this.statistics.connected(false));
		}
	}

	/**
	 * Set the publisher of the {@link MqttConnectedEvent connection events}; called by
	 * the application context for a connection bean.
	 * @param eventPublisher the publisher
	 */
	@Override
	public final void setApplicationEventPublisher(ApplicationEventPublisher eventPublisher) {
		this.eventPublisher = eventPublisher;
	}

	/**
	 * Return a connection on the client of the given manager.
	 * @param name the name of the connection, {@link #DEFAULT_NAME} for the default one
	 * @param clientManager a Spring Integration {@code Mqttv5ClientManager} or
	 * {@code Mqttv3ClientManager} (or any manager of Paho clients of either version)
	 * @return the connection
	 * @throws IllegalArgumentException if the manager manages neither Paho client
	 */
	public static MqttConnection of(String name, ClientManager<?, ?> clientManager) {
		Assert.notNull(clientManager, "'clientManager' must not be null");
		if (V5_PRESENT && Mqttv5Connection.supports(clientManager)) {
			return new Mqttv5Connection(name, clientManager);
		}
		if (V3_PRESENT && Mqttv3Connection.supports(clientManager)) {
			return new Mqttv3Connection(name, clientManager);
		}
		throw new IllegalArgumentException("Unsupported ClientManager " + clientManager.getClass().getName()
				+ ": expected a manager of Paho MQTT 5 or MQTT 3 clients");
	}

	/**
	 * Return the name of the connection: {@link #DEFAULT_NAME} or the name of a
	 * {@code mqtt.connections.<name>} entry.
	 * @return the name
	 */
	public final String getName() {
		return this.name;
	}

	/**
	 * Return the client manager of the connection.
	 * @return the client manager
	 */
	public final ClientManager<?, ?> getClientManager() {
		return this.clientManager;
	}

	/**
	 * Return the protocol version of the connection.
	 * @return the protocol version
	 */
	public abstract MqttProtocolVersion getProtocolVersion();

	/**
	 * Return the client identifier.
	 * @return the client identifier
	 */
	public final String getClientId() {
		String assigned = getBrokerLimits().getAssignedClientIdentifier();
		return (assigned != null) ? assigned : this.clientManager.getClientId();
	}

	/**
	 * Return what the broker announced in the MQTT 5 CONNACK of the current (or last)
	 * connection; a send over one of these limits fails before anything is sent.
	 * @return the broker's limits, {@link BrokerLimits#unknown()} for MQTT 3.x, before the
	 * first connection, and for client managers other than the starter's
	 */
	public final BrokerLimits getBrokerLimits() {
		return (this.status != null) ? this.status.getBrokerLimits() : BrokerLimits.unknown();
	}

	/**
	 * Return whether the client is connected now.
	 * @return whether the client is connected
	 */
	public final boolean isConnected() {
		return this.clientManager.isConnected();
	}

	/**
	 * Return the URI of the server the client is connected to, or the first configured
	 * one while it is not connected, with the MQTT schemes ({@code mqtt://},
	 * {@code mqtts://}, {@code ws://}, {@code wss://}); for a client manager other than the
	 * starter's, its URL as it tells it.
	 * @return the server URI
	 */
	public final String getServerUri() {
		return (this.status != null) ? this.status.getServerUri()
				: MqttFailures.redact(String.valueOf(this.clientManager.getUrl()));
	}

	/**
	 * Return why the connection was last lost or why the last attempt failed, when the
	 * client manager tells (the starter's do).
	 * @return the reason, without credentials, or {@code null}
	 */
	public final @Nullable String getLastDisconnectReason() {
		return (this.status != null) ? this.status.getLastDisconnectReason() : null;
	}

	/**
	 * Return why a takeover loop with another client of the same client id is suspected
	 * (the broker ending the connection for the other client again and again, or closing
	 * it soon after accepting it), while it is: until a connection stays up for the
	 * stable period. A single takeover, after which the connection is back, is none.
	 * @return the reason, or {@code null}
	 */
	public final @Nullable String getSuspectedTakeover() {
		return (this.status != null) ? this.status.getSuspectedTakeover() : null;
	}

	/**
	 * Return the live counts of this connection: connection attempts, lost connections,
	 * when its state last changed.
	 * @return the statistics
	 */
	public final MqttConnectionStatistics getStatistics() {
		return this.statistics;
	}

	/**
	 * Return whether the client manager is one of the starter's, which report more of
	 * their state (server URI, disconnect reasons, the broker's limits).
	 * @return whether the client manager is the starter's
	 */
	public final boolean isManagedByStarter() {
		return this.status != null;
	}

	/**
	 * Return whether the broker acknowledged a QoS 2 publish of this connection with a
	 * PUBACK, as brokers without QoS 2 do (RabbitMQ): it delivers QoS 2 messages at QoS 1.
	 * The starter then counts them as delivered and never sends them again.
	 * @return whether the broker answers QoS 2 like QoS 1
	 */
	public final boolean isQos2AnsweredAsQos1() {
		return this.qos2AnsweredAsQos1;
	}

	final void markQos2AnsweredAsQos1() {
		this.qos2AnsweredAsQos1 = true;
	}

	/**
	 * Return how many publishes the client lets be in flight at once: for MQTT 5 the
	 * Receive Maximum of the server when known (65535 otherwise), for MQTT 3.x Paho's
	 * configured maximum.
	 * @return the client's in-flight limit
	 */
	public abstract int getInflightLimit();

	/**
	 * Add a listener told when the {@link #getInflightLimit() in-flight limit} changes:
	 * when the starter's MQTT 5 client manager connects to a server that announces
	 * another Receive Maximum than the last one, on Paho's callback thread, before the
	 * connection is reported complete. The limit of other client managers does not
	 * change.
	 * @param listener the listener, which must not block
	 */
	public final void addInflightLimitListener(Runnable listener) {
		Assert.notNull(listener, "'listener' must not be null");
		if (this.status != null) {
			this.status.addInflightLimitListener(listener);
		}
	}

	/**
	 * Add a listener told every time the broker accepted a connection (after its CONNACK),
	 * on the thread that reports it (Paho's callback thread for the starter's client
	 * managers): it must not block.
	 * @param listener the listener
	 */
	public final void addConnectedListener(Runnable listener) {
		Assert.notNull(listener, "'listener' must not be null");
		if (this.status != null) {
			this.status.addConnectionListener(new ConnectionListener() {

				@Override
				public void connected(String serverUri, boolean sessionPresent, boolean reconnect) {
					listener.run();
				}

				@Override
				public void lost(@Nullable Throwable cause, @Nullable Integer reasonCode) {
				}

			});
		}
		else {
			this.clientManager.addCallback((isReconnect) -> listener.run());
		}
	}

	/**
	 * Return whether the server accepts MQTT 5 subscription identifiers on the current
	 * connection ({@code false} for MQTT 3.x, and for MQTT 5 client managers other than
	 * the starter's, which do not tell what the server sent in CONNACK).
	 * @return whether subscription identifiers can be used
	 */
	public abstract boolean supportsSubscriptionIdentifiers();

	/**
	 * Return whether the client keeps its session across connections (MQTT 5 clean
	 * start, MQTT 3.x clean session {@code false}): then the Paho client sends the QoS 1
	 * and 2 messages that were in flight at a connection loss again by itself on the next
	 * connection.
	 * @return whether the session is persistent
	 */
	public abstract boolean isSessionPersistent();

	/**
	 * Publish a message. The callback hears when the broker has acknowledged it (QoS 1
	 * PUBACK, QoS 2 PUBCOMP) or, for QoS 0, when it has been written, or else of the
	 * failure ({@link #MAX_INFLIGHT} when Paho's in-flight window is full,
	 * {@link #NOT_CONNECTED} when not connected). It runs on Paho's callback thread, or
	 * on the calling thread when the publish fails before it is sent. A message over one
	 * of the {@link #getBrokerLimits() broker's limits} fails before it is sent, with an
	 * {@link IllegalArgumentException} as cause that names the limit.
	 * @param message the message; MQTT 5 properties are ignored on MQTT 3.x
	 * @param callback told about the outcome
	 */
	public final void publish(MqttOutboundMessage message, PublishCallback callback) {
		if (this.clientManager.getClient() == null) {
			callback.failed(notConnected(), NOT_CONNECTED, null);
			return;
		}
		try {
			checkLimits(message);
		}
		catch (IllegalArgumentException ex) {
			callback.failed(ex.getMessage(), PublishCallback.NO_REASON_CODE, ex);
			return;
		}
		String poisoned = this.poisonMessages.poisoned(message);
		if (poisoned != null) {
			this.poisonMessages.done(message);
			callback.failed(poisoned, PublishCallback.NO_REASON_CODE, null);
			return;
		}
		this.poisonMessages.sending(message);
		try {
			this.poisonMessages.sent(message, doPublish(message, new PoisonTrackingCallback(message, callback)));
		}
		catch (Exception ex) {
			this.poisonMessages.done(message);
			publishFailed(message.topic(), ex, callback);
		}
	}

	/**
	 * Subscribe to a topic filter with default options.
	 * @param topicFilter the topic filter
	 * @param qos the maximum QoS
	 * @return a future completed with the granted QoS, failed if the broker refused or
	 * the SUBSCRIBE could not be sent
	 * @see #subscribe(SubscriptionRequest, SubscribeResult)
	 */
	public final CompletableFuture<Integer> subscribe(String topicFilter, int qos) {
		CompletableFuture<Integer> result = new CompletableFuture<>();
		subscribe(new SubscriptionRequest(topicFilter, qos, false, false, 0, null), new SubscribeResult() {

			@Override
			public void granted(int grantedQos) {
				result.complete(grantedQos);
			}

			@Override
			public void refused(String reason, @Nullable Integer reasonCode, @Nullable Throwable cause) {
				result.completeExceptionally((cause != null) ? cause
						: new IllegalStateException(
								"The broker refused the subscription to '" + topicFilter + "': " + reason));
			}

		});
		return result;
	}

	/**
	 * Send a SUBSCRIBE for one subscription, without waiting and without a
	 * per-subscription Paho listener: messages reach the
	 * {@link ClientManager#addDefaultMessageHandler default message handlers} of the
	 * manager (and so the receivers {@link #open opened} here), whatever Paho's listener
	 * matching does with shared and overlapping filters (paho#826, paho#827).
	 * @param request the subscription
	 * @param result told about the SUBACK
	 */
	public final void subscribe(SubscriptionRequest request, SubscribeResult result) {
		if (this.clientManager.getClient() == null) {
			result.refused(notConnected(), null, new IllegalStateException(notConnected()));
			return;
		}
		try {
			doSubscribe(request, result);
		}
		catch (Exception ex) {
			result.refused(MqttFailures.summary(ex), null, ex);
		}
	}

	/**
	 * Send an UNSUBSCRIBE, without waiting; does nothing when not connected.
	 * @param topicFilter the subscription's topic filter
	 */
	public final void unsubscribe(String topicFilter) {
		if (!isConnected()) {
			return;
		}
		try {
			doUnsubscribe(topicFilter);
		}
		catch (Exception ex) {
			this.logger.debug("Could not unsubscribe from '" + topicFilter + "'", ex);
		}
	}

	/**
	 * Turn on manual acknowledgement on the client manager, if it can.
	 * @return whether messages are acknowledged manually now
	 */
	public final boolean enableManualAcks() {
		if (this.clientManager instanceof AbstractMqttClientManager<?, ?> manager && !manager.isManualAcks()) {
			manager.setManualAcks(true);
		}
		return this.clientManager.isManualAcks();
	}

	/**
	 * Start receiving: add a receiver to the connection's one inbound dispatcher
	 * (registered as the manager's default message handler and connect callback with the
	 * first receiver). The dispatcher acknowledges every message exactly once, whatever
	 * the number of receivers.
	 * @param receiver receives every message that no per-subscription Paho listener took
	 */
	public final void open(MqttInboundReceiver receiver) {
		this.dispatcher.attach(receiver);
	}

	/**
	 * Stop receiving: remove the receiver (the last one unregisters the dispatcher).
	 * @param receiver the receiver
	 */
	public final void close(MqttInboundReceiver receiver) {
		this.dispatcher.detach(receiver);
	}

	/**
	 * Return the number of the current connection: it changes with every connection the
	 * client manager reports (and, with the starter's client managers, with every loss).
	 * @return the connection number
	 */
	public final long currentConnection() {
		return this.dispatcher.currentConnection();
	}

	/**
	 * Return whether listeners of this connection can receive QoS 2 messages exactly
	 * once: with manual acknowledgements, the PUBCOMP sent once after the listener
	 * returned and a PUBREL that the broker sends again never delivered twice. True for
	 * the starter's MQTT 3 client manager; Paho 1.2.5's MQTT 5 client sends PUBREC and
	 * PUBCOMP by itself before the listener returns (see {@code docs/listeners.md}).
	 * <p>
	 * Internal SPI of the starter: not meant for application code.
	 * @return whether QoS 2 subscriptions of listeners keep QoS 2
	 */
	public boolean receivesQos2ExactlyOnce() {
		return false;
	}

	/**
	 * Create the exactly-once state of inbound QoS 2 messages, for the
	 * {@link InboundDispatcher}, when {@link #receivesQos2ExactlyOnce()}.
	 * @param currentConnection the number of the current connection
	 * @return the receipts, or {@code null} when QoS 2 is not received exactly once
	 */
	@Nullable InboundQos2Receipts createQos2Receipts(LongSupplier currentConnection) {
		return null;
	}

	/**
	 * Tell the listener of every connection the broker accepted, and whether it resumed
	 * the session, on Paho's callback thread, before the connection is reported complete.
	 * Only for the starter's client managers.
	 * @param listener the listener
	 */
	final void addSessionListener(Consumer<Boolean> listener) {
		if (this.status != null) {
			this.status.addConnectionListener(new ConnectionListener() {

				@Override
				public void connected(String serverUri, boolean sessionPresent, boolean reconnect) {
					listener.accept(sessionPresent);
				}

				@Override
				public void lost(@Nullable Throwable cause, @Nullable Integer reasonCode) {
				}

			});
		}
	}

	/**
	 * Return whether the starter's client manager reports connections and losses.
	 * @return whether the client manager is the starter's
	 */
	final boolean isStarterClientManager() {
		return this.status != null;
	}

	/**
	 * Send the acknowledgement of a message, for the {@link InboundDispatcher}.
	 * @param message the message
	 */
	final void acknowledge(InboundMessage message) {
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
	 * Fail a message the broker would answer with a disconnect.
	 * @param message the message
	 * @throws IllegalArgumentException naming the broker's limit
	 */
	void checkLimits(MqttOutboundMessage message) {
	}

	/**
	 * Send a message.
	 * @param message the message
	 * @param callback told about the outcome
	 * @return the Paho token of the publish
	 * @throws Exception if the publish could not be sent
	 */
	abstract @Nullable Object doPublish(MqttOutboundMessage message, PublishCallback callback) throws Exception;

	/**
	 * Take a message out of the client's session state, so that Paho does not send it
	 * again on the next connection.
	 * @param token the Paho token of the message
	 * @return whether it was removed
	 * @throws Exception if that fails
	 */
	abstract boolean removeFromSession(Object token) throws Exception;

	abstract void doSubscribe(SubscriptionRequest request, SubscribeResult result) throws Exception;

	abstract void doUnsubscribe(String topicFilter) throws Exception;

	abstract void doAcknowledge(InboundMessage message) throws Exception;

	/**
	 * Return the MQTT or Paho reason code of a failure of this version's client.
	 * @param failure the failure
	 * @return the reason code, or {@code null}
	 */
	abstract @Nullable Integer reasonCode(Throwable failure);

	/**
	 * Return how many default message handlers the client manager has (the connection's
	 * dispatcher and Spring Integration inbound adapters), when it tells: the starter's
	 * client managers do.
	 * @return the number of default message handlers, 1 when unknown
	 */
	final int getDefaultMessageHandlerCount() {
		return (this.status != null) ? this.status.getDefaultMessageHandlerCount() : 1;
	}

	/**
	 * Convert a message of this version's Paho client.
	 * @param topic the topic
	 * @param message the Paho message
	 * @param connection the number of the connection it arrived on
	 * @return the message
	 */
	abstract InboundMessage toInboundMessage(String topic, Object message, long connection);

	final void publishFailed(String topic, Throwable ex, PublishCallback callback) {
		Integer reasonCode = reasonCode(ex);
		callback.failed("Publish to '" + topic + "' failed: " + MqttFailures.describe(ex, this::reasonCode),
				(reasonCode != null) ? reasonCode : PublishCallback.NO_REASON_CODE, ex);
	}

	private String notConnected() {
		return "Not connected to the MQTT broker (client id '" + getClientId() + "')";
	}

	/**
	 * Publish an event of this connection on the application context, on the
	 * connection's event thread (never Paho's), if the connection is a bean of one.
	 * @param event the event
	 */
	public final void publishEvent(ApplicationEvent event) {
		publish(event);
	}

	private void publish(ApplicationEvent event) {
		ApplicationEventPublisher publisher = this.eventPublisher;
		if (publisher == null) {
			return;
		}
		this.eventExecutor.execute(() -> {
			try {
				publisher.publishEvent(event);
			}
			catch (RuntimeException ex) {
				this.logger.warn("A listener of " + event + " failed", ex);
			}
		});
	}

	@Override
	public String toString() {
		return "MQTT connection '" + this.name + "' (client id '" + getClientId() + "')";
	}

	// On Paho's thread that reports the loss: nothing may escape.
	private void poisonMessagesLost() {
		for (PoisonMessages.Poisoned poisoned : this.poisonMessages.lost()) {
			boolean removed = !poisoned.tokens().isEmpty();
			try {
				for (Object token : poisoned.tokens()) {
					removed &= removeFromSession(token);
				}
			}
			catch (Exception ex) {
				this.logger.debug("Could not remove the message to '" + poisoned.message().topic()
						+ "' from the session state", ex);
			}
			this.logger.error(poisoned.description() + ((removed) ? ", and Paho took it out of the session state" : "")
					+ " (client id '" + getClientId() + "')");
			PoisonTrackingCallback callback = this.poisonTracking.remove(poisoned.message());
			if (callback != null) {
				callback.delegate.failed(poisoned.description(), POISONED, null);
			}
		}
	}

	/**
	 * Tells the poison-message guard about the outcome of a publish.
	 */
	private final class PoisonTrackingCallback implements PublishCallback {

		// Weak: Paho keeps the callback as long as its token, which must not keep the
		// payload of a send the template gave up.
		private final WeakReference<MqttOutboundMessage> message;

		private final PublishCallback delegate;

		PoisonTrackingCallback(MqttOutboundMessage message, PublishCallback delegate) {
			this.message = new WeakReference<>(message);
			this.delegate = delegate;
			MqttConnection.this.poisonTracking.put(message, this);
		}

		@Override
		public void published() {
			done();
			this.delegate.published();
		}

		@Override
		public void failed(String description, int reasonCode, @Nullable Throwable cause) {
			if (isConnected()) {
				// Answered by the broker (a failure reason code), not by a lost connection
				done();
			}
			this.delegate.failed(description, reasonCode, cause);
		}

		private void done() {
			MqttOutboundMessage sent = this.message.get();
			if (sent != null) {
				MqttConnection.this.poisonMessages.done(sent);
				MqttConnection.this.poisonTracking.remove(sent, this);
			}
		}

	}

	/**
	 * Counts lost connections for the dispatcher and publishes the connection events.
	 */
	private final class EventPublishingListener implements ConnectionListener {

		@Override
		public void connected(String serverUri, boolean sessionPresent, boolean reconnect) {
			MqttConnection.this.poisonMessages.connected(sessionPresent);
			MqttConnection.this.established.set(true);
			publish(new MqttConnectedEvent(MqttConnection.this, MqttConnection.this.name, serverUri, getClientId(),
					sessionPresent, reconnect));
		}

		@Override
		public void lost(@Nullable Throwable cause, @Nullable Integer reasonCode) {
			// First thing: messages of this connection must not be acknowledged on the next
			MqttConnection.this.dispatcher.connectionLost();
			poisonMessagesLost();
			if (MqttConnection.this.established.getAndSet(false) && MqttConnection.this.clientManager.isRunning()) {
				publish(new MqttConnectionLostEvent(MqttConnection.this, MqttConnection.this.name, cause, reasonCode));
			}
		}

	}

	/**
	 * One subscription.
	 *
	 * @param topicFilter the topic filter
	 * @param qos the maximum QoS
	 * @param noLocal MQTT 5: whether the broker withholds this client's own messages
	 * @param retainAsPublished MQTT 5: whether retained messages keep their retain flag
	 * @param retainHandling MQTT 5: when the broker sends retained messages (0 to 2)
	 * @param subscriptionId the MQTT 5 subscription identifier, or {@code null}
	 */
	public record SubscriptionRequest(String topicFilter, int qos, boolean noLocal, boolean retainAsPublished,
			int retainHandling, @Nullable Integer subscriptionId) {

	}

	/**
	 * The outcome of a publish.
	 */
	public interface PublishCallback {

		/**
		 * The reason code of a failure without one.
		 */
		int NO_REASON_CODE = -1;

		/**
		 * The broker acknowledged the message (QoS 1 and 2), or it was written (QoS 0).
		 */
		void published();

		/**
		 * The publish failed.
		 * @param description why, without credentials
		 * @param reasonCode the MQTT reason code of the broker or the Paho client reason
		 * code, or {@link #NO_REASON_CODE}
		 * @param cause the exception, or {@code null}
		 */
		void failed(String description, int reasonCode, @Nullable Throwable cause);

	}

	/**
	 * The outcome of a SUBSCRIBE.
	 */
	public interface SubscribeResult {

		/**
		 * The broker granted the subscription.
		 * @param qos the granted QoS
		 */
		void granted(int qos);

		/**
		 * The broker refused the subscription, or it could not be sent.
		 * @param reason why, for logs and health details
		 * @param reasonCode the failure code of the SUBACK when the broker refused it,
		 * {@code null} when the SUBSCRIBE could not be sent
		 * @param cause the exception when the SUBSCRIBE could not be sent, {@code null}
		 * when the broker refused it
		 */
		void refused(String reason, @Nullable Integer reasonCode, @Nullable Throwable cause);

	}

}
