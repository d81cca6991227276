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

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import io.mqttboot.connection.BrokerLimits;
import io.mqttboot.connection.InboundDelivery;
import io.mqttboot.connection.InboundMessage;
import io.mqttboot.connection.MqttConnection;
import io.mqttboot.connection.MqttInboundReceiver;
import io.mqttboot.connection.MqttSubscriptionStatus;
import io.mqttboot.event.MqttSubscriptionFailedEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.integration.mqtt.support.MqttHeaders;

/**
 * The subscriptions of the listeners of one connection, and the router of its inbound
 * messages: merges the filters of the listeners into one subscription per filter, gives
 * each a subscription identifier stable across restarts (sent only when filters
 * overlap, and when the broker takes them), subscribes them on every (re)connection,
 * records the subscriptions the broker refused, and hands every inbound message to the
 * running listeners whose subscriptions it matches, once per listener.
 * <p>
 * There is exactly one instance per connection: it turns on manual acknowledgement on
 * the connection and receives all of its messages that no Spring Integration adapter
 * took.
 *
 * @author mqttboot
 */
final class ListenerSubscriptions implements MqttSubscriptionStatus {

	private static final Log logger = LogFactory.getLog(MqttListenerEndpointRegistry.class);

	private static final int MIN_SUBSCRIPTION_ID = 65536;

	private static final int MAX_SUBSCRIPTION_ID = 268_435_455;

	private static final int SHARED_SUBSCRIPTIONS_NOT_SUPPORTED = 0x9E;

	private static final int WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED = 0xA2;

	private final MqttConnection client;

	private final boolean manualAcks;

	private final Receiver receiver = new Receiver();

	private final Object monitor = new Object();

	private final Map<String, ListenerSubscription> subscriptions = new LinkedHashMap<>();

	private final Set<Integer> subscriptionIds = new HashSet<>();

	private final Map<String, String> failedSubscriptions = new ConcurrentHashMap<>();

	private volatile Routes routes = new Routes(Map.of(), List.of());

	private volatile boolean shuttingDown;

	private boolean sharedSubscriptionWarned;

	/**
	 * Take over the listener side of a connection: acknowledge its messages manually and
	 * receive them.
	 * @param client the connection
	 */
	ListenerSubscriptions(MqttConnection client) {
		this.client = client;
		this.manualAcks = client.enableManualAcks();
		if (!this.manualAcks) {
			logger.warn("The MQTT client manager " + client.getClientManager().getClass().getName()
					+ " cannot acknowledge messages manually: messages are acknowledged when they arrive, "
					+ "before the listener ran");
		}
		client.open(this.receiver);
	}

	/**
	 * Add the subscriptions of a listener; subscribes those that overlap another one
	 * only now again (with their identifier), but not the listener's own: see
	 * {@link #subscribe(ListenerContainer)}.
	 * @param container the listener's container
	 * @throws IllegalStateException if the listener's subscription options cannot be
	 * served on this connection or disagree with those of another listener of the same
	 * filter
	 */
	void add(ListenerContainer container) {
		MqttListenerEndpoint endpoint = container.getEndpoint();
		if (!this.client.getProtocolVersion().isV5() && endpoint.usesMqtt5Options()) {
			throw new MqttListenerDefinitionException(endpoint.describeMethod(), "@MqttListener '" + endpoint.id()
					+ "' on " + endpoint.describeMethod() + " sets noLocal, retainAsPublished or retainHandling, which "
					+ "need MQTT 5, but the connection uses MQTT 3 (mqtt.protocol-version)",
					"Remove noLocal, retainAsPublished and retainHandling, or set the connection's protocol-version "
							+ "to 5");
		}
		int qos = effectiveQos(endpoint);
		synchronized (this.monitor) {
			warnOfSharedSubscriptionsOnMqtt3(endpoint);
			Map<String, ListenerSubscription> added = new LinkedHashMap<>();
			for (TopicFilter filter : endpoint.topics()) {
				String topicFilter = filter.getSubscription();
				ListenerSubscription subscription = this.subscriptions.getOrDefault(topicFilter,
						added.get(topicFilter));
				if (subscription == null) {
					subscription = new ListenerSubscription(filter, subscriptionId(topicFilter), qos,
							endpoint.noLocal(), endpoint.retainAsPublished(), endpoint.retainHandling());
					added.put(topicFilter, subscription);
				}
				subscription.add(container, endpoint, qos);
				container.addSubscription(subscription);
			}
			List<ListenerSubscription> overlapping = markOverlaps(added.values());
			this.subscriptions.putAll(added);
			this.routes = Routes.of(this.subscriptions.values());
			for (ListenerSubscription subscription : overlapping) {
				if (subscription.isNeeded(null)) {
					// Subscribed without an identifier so far: replaced with one if the
					// broker takes identifiers (see subscribe).
					subscribe(subscription);
				}
			}
		}
	}

	/**
	 * Subscribe the filters of a listener that starts, if connected (else they are
	 * subscribed on connection).
	 * @param container the listener's container
	 */
	void subscribe(ListenerContainer container) {
		synchronized (this.monitor) {
			if (this.client.isConnected()) {
				container.getSubscriptions().forEach(this::subscribe);
			}
		}
	}

	/**
	 * Unsubscribe the filters of a listener that stopped, unless another running
	 * listener uses them.
	 * @param container the listener's container
	 */
	void unsubscribe(ListenerContainer container) {
		synchronized (this.monitor) {
			for (ListenerSubscription subscription : container.getSubscriptions()) {
				if (!subscription.isNeeded(container)) {
					if (this.client.isConnected()) {
						this.client.unsubscribe(subscription.getTopicFilter());
					}
					subscription.reset();
					this.failedSubscriptions.remove(subscription.getTopicFilter());
				}
			}
		}
	}

	/**
	 * Subscribe every filter a running listener uses, if connected.
	 */
	void subscribeAll() {
		synchronized (this.monitor) {
			if (this.client.isConnected()) {
				subscribeNeeded();
			}
		}
	}

	/**
	 * Set whether the application shuts down: then a message for no running listener is
	 * left unacknowledged, so that a persistent session redelivers it.
	 * @param shuttingDown whether the listeners stop for good
	 */
	void setShuttingDown(boolean shuttingDown) {
		this.shuttingDown = shuttingDown;
	}

	/**
	 * Return whether every subscription of a listener was granted on the current
	 * connection.
	 * @param container the listener's container
	 * @return whether the listener is subscribed
	 */
	boolean isSubscribed(ListenerContainer container) {
		long connection = this.client.currentConnection();
		return container.getSubscriptions().stream().allMatch((s) -> s.isGrantedOn(connection));
	}

	/**
	 * Return whether subscriptions carry MQTT 5 subscription identifiers on the current
	 * connection.
	 * @return whether subscription identifiers are used
	 */
	boolean usesSubscriptionIdentifiers() {
		return this.client.supportsSubscriptionIdentifiers();
	}

	/**
	 * Return the subscription identifier sent with the last SUBSCRIBE of a topic filter.
	 * @param topicFilter the subscription's topic filter
	 * @return the identifier, or {@code null} if none was sent
	 */
	@Nullable Integer requestedSubscriptionId(String topicFilter) {
		synchronized (this.monitor) {
			ListenerSubscription subscription = this.subscriptions.get(topicFilter);
			return (subscription != null) ? subscription.getRequestedSubscriptionId() : null;
		}
	}

	/**
	 * Return the subscriptions the broker refused on the current connection (SUBACK
	 * failure codes, or a SUBSCRIBE that could not be sent), with the reason.
	 * @return the reasons by topic filter; empty when every subscription was granted
	 */
	@Override
	public Map<String, String> getFailedSubscriptions() {
		return Collections.unmodifiableMap(new TreeMap<>(this.failedSubscriptions));
	}

	/**
	 * Stop receiving the connection's messages.
	 */
	void close() {
		this.client.close(this.receiver);
	}

	// MQTT 3.x brokers announce nothing: one that has no shared subscriptions takes
	// '$share/...' as a literal filter, and no message ever arrives. Said once per
	// connection.
	private void warnOfSharedSubscriptionsOnMqtt3(MqttListenerEndpoint endpoint) {
		if (this.client.getProtocolVersion().isV5() || this.sharedSubscriptionWarned) {
			return;
		}
		for (TopicFilter filter : endpoint.topics()) {
			if (filter.isShared()) {
				this.sharedSubscriptionWarned = true;
				logger.warn("MQTT listener '" + endpoint.id() + "' uses the shared subscription '"
						+ filter.getSubscription() + "' on an MQTT " + this.client.getProtocolVersion().value()
						+ " connection: shared subscriptions are an MQTT 5 feature that the broker must support for "
						+ "MQTT 3 clients too (Mosquitto, HiveMQ and EMQX do; RabbitMQ and NATS do not, and take "
						+ "'$share/...' as a plain topic filter, so no message arrives). With MQTT 5 "
						+ "(mqtt.protocol-version=5) the broker says whether it has them.");
				return;
			}
		}
	}

	private int effectiveQos(MqttListenerEndpoint endpoint) {
		if (endpoint.qos() == 2 && this.manualAcks && !this.client.receivesQos2ExactlyOnce()) {
			logger.info("MQTT listener '" + endpoint.id() + "' asks for QoS 2 and is subscribed with QoS 1: Paho "
					+ "1.2.5's MQTT 5 client acknowledges QoS 2 messages (PUBREC, PUBCOMP) before the listener "
					+ "returned, so QoS 1 is the highest level at which a message is acknowledged only after the "
					+ "listener returned (at least once; see the " + MqttHeaders.DUPLICATE + " header). QoS 2 "
					+ "listeners receive exactly once on MQTT 3.1.1 with the starter's client manager "
					+ "(mqtt.protocol-version=3.1.1)");
			return 1;
		}
		return endpoint.qos();
	}

	// Stable across restarts, so that messages a persistent session queued under an
	// identifier reach the same filter; kept clear of the small identifiers Paho assigns
	// to per-subscription listeners (Spring Integration adapters).
	private int subscriptionId(String topicFilter) {
		int range = MAX_SUBSCRIPTION_ID - MIN_SUBSCRIPTION_ID + 1;
		int id = MIN_SUBSCRIPTION_ID + Math.floorMod(topicFilter.hashCode(), range);
		while (!this.subscriptionIds.add(id)) {
			id = (id == MAX_SUBSCRIPTION_ID) ? MIN_SUBSCRIPTION_ID : id + 1;
		}
		return id;
	}

	/**
	 * Mark the subscriptions whose filters overlap another's, before the new ones join
	 * the registered ones. On MQTT 3, where nothing tells the broker's copies apart, an
	 * overlap is logged.
	 * @param added the new subscriptions
	 * @return the registered subscriptions that overlap another one only now
	 */
	private List<ListenerSubscription> markOverlaps(Collection<ListenerSubscription> added) {
		List<ListenerSubscription> others = new ArrayList<>(this.subscriptions.values());
		int registered = others.size();
		List<ListenerSubscription> newlyOverlapping = new ArrayList<>();
		for (ListenerSubscription subscription : added) {
			for (int i = 0; i < others.size(); i++) {
				ListenerSubscription other = others.get(i);
				if (!other.getFilter().overlaps(subscription.getFilter())) {
					continue;
				}
				if (!this.client.getProtocolVersion().isV5()) {
					logger.info("MQTT listener filters '" + other.getTopicFilter() + "' and '"
							+ subscription.getTopicFilter() + "' overlap: with MQTT 3 a broker that sends one copy "
							+ "per matching subscription delivers such a message more than once to their listeners "
							+ "(MQTT 5 subscription identifiers avoid this)");
				}
				subscription.setOverlapping();
				if (!other.isOverlapping() && i < registered) {
					newlyOverlapping.add(other);
				}
				other.setOverlapping();
			}
			others.add(subscription);
		}
		return newlyOverlapping;
	}

	private void connected() {
		try {
			synchronized (this.monitor) {
				this.failedSubscriptions.clear();
				subscribeNeeded();
			}
		}
		catch (RuntimeException ex) {
			logger.error("Could not restore the subscriptions of the MQTT listeners", ex);
		}
	}

	private void subscribeNeeded() {
		for (ListenerSubscription subscription : this.subscriptions.values()) {
			if (subscription.isNeeded(null)) {
				subscribe(subscription);
			}
		}
	}

	private void subscribe(ListenerSubscription subscription) {
		MqttConnection client = this.client;
		long connection = client.currentConnection();
		Integer subscriptionId = (subscription.isOverlapping() && client.supportsSubscriptionIdentifiers())
				? subscription.getSubscriptionId() : null;
		boolean replacing = subscription.isRequestedOn(connection);
		if (replacing && Objects.equals(subscription.getRequestedSubscriptionId(), subscriptionId)) {
			return;
		}
		subscription.setRequestedOn(connection);
		if (!client.isConnected()) {
			// Subscribed on the next connection
			return;
		}
		subscription.setRequestedSubscriptionId(subscriptionId);
		if (replacing) {
			// Wait for the SUBACK of the replacement.
			subscription.setGrantedOn(-1);
		}
		// Replacing a subscription (to add its identifier) must not make the broker send
		// the retained messages again: retain handling 1 sends them only for a new one.
		int retainHandling = (replacing && subscription.getRetainHandling() == 0) ? 1
				: subscription.getRetainHandling();
		String topicFilter = subscription.getTopicFilter();
		MqttConnection.SubscriptionRequest request = new MqttConnection.SubscriptionRequest(topicFilter,
				subscription.getQos(), subscription.isNoLocal(), subscription.isRetainAsPublished(), retainHandling,
				subscriptionId);
		if (refuseOverLimits(subscription, request)) {
			return;
		}
		client.subscribe(request, new MqttConnection.SubscribeResult() {

			@Override
			public void granted(int qos) {
				subscription.setGrantedOn(connection);
				ListenerSubscriptions.this.failedSubscriptions.remove(topicFilter);
				if (qos < request.qos()) {
					int maximumQos = client.getBrokerLimits().getMaximumQos();
					String limit = (maximumQos < request.qos()) ? " (the broker's Maximum QoS is " + maximumQos + ")"
							: "";
					ListenerSubscriptions.this.failedSubscriptions.put(topicFilter,
							"granted QoS " + qos + " instead of " + request.qos() + limit);
					logger.warn("The MQTT broker downgraded the subscription to '" + topicFilter + "' of listener(s) "
							+ subscription.getListenerIds() + " from QoS " + request.qos() + " to QoS " + qos + limit);
					client.publishEvent(new MqttSubscriptionFailedEvent(client, client.getName(), topicFilter,
							List.copyOf(subscription.getListenerIds()), request.qos(), qos, null));
				}
				if (logger.isDebugEnabled()) {
					logger.debug("Subscribed to '" + topicFilter + "' with QoS " + qos + " for MQTT listener(s) "
							+ subscription.getListenerIds());
				}
			}

			@Override
			public void refused(String reason, @Nullable Integer reasonCode, @Nullable Throwable cause) {
				if (subscription.isRequestedOn(connection)) {
					subscription.setRequestedOn(-1);
				}
				ListenerSubscriptions.this.failedSubscriptions.put(topicFilter, reason);
				logger.warn("The MQTT broker refused the subscription to '" + topicFilter + "' of listener(s) "
						+ subscription.getListenerIds() + ": " + reason);
				if (reasonCode != null) {
					client.publishEvent(new MqttSubscriptionFailedEvent(client, client.getName(), topicFilter,
							List.copyOf(subscription.getListenerIds()), request.qos(), null, reasonCode));
				}
			}

		});
	}

	/**
	 * Refuse, without a SUBSCRIBE, a subscription that the broker announced it cannot
	 * serve (an MQTT 5 broker answers it with a disconnect): an event, a WARN and a
	 * health entry, as for a refusal in a SUBACK.
	 * @param subscription the subscription
	 * @param request its SUBSCRIBE
	 * @return whether it was refused
	 */
	private boolean refuseOverLimits(ListenerSubscription subscription, MqttConnection.SubscriptionRequest request) {
		BrokerLimits limits = this.client.getBrokerLimits();
		if (!limits.isAnnounced()) {
			return false;
		}
		String reason;
		int reasonCode;
		if (subscription.getFilter().isShared() && !limits.isSharedSubscriptionAvailable()) {
			reason = "the broker does not serve shared subscriptions (Shared Subscription Available false in its "
					+ "CONNACK)";
			reasonCode = SHARED_SUBSCRIPTIONS_NOT_SUPPORTED;
		}
		else if (!limits.isWildcardSubscriptionAvailable() && hasWildcard(subscription.getFilter().getFilter())) {
			reason = "the broker does not serve wildcard subscriptions (Wildcard Subscription Available false in "
					+ "its CONNACK)";
			reasonCode = WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED;
		}
		else {
			return false;
		}
		String topicFilter = request.topicFilter();
		if (this.failedSubscriptions.put(topicFilter, "not subscribed: " + reason) == null) {
			logger.warn("MQTT listener(s) " + subscription.getListenerIds() + " not subscribed to '" + topicFilter
					+ "': " + reason);
			this.client.publishEvent(new MqttSubscriptionFailedEvent(this.client, this.client.getName(), topicFilter,
					List.copyOf(subscription.getListenerIds()), request.qos(), null, reasonCode));
		}
		subscription.setRequestedOn(-1);
		return true;
	}

	private static boolean hasWildcard(String filter) {
		return filter.indexOf('+') >= 0 || filter.indexOf('#') >= 0;
	}

	private boolean receive(InboundDelivery delivery) {
		InboundMessage inbound = delivery.message();
		List<ListenerContainer> targets = new ArrayList<>(2);
		if (!this.routes.route(inbound, targets)) {
			return false;
		}
		if (logger.isTraceEnabled()) {
			logger.trace("Message " + inbound.id() + " on '" + inbound.topic() + "' (QoS " + inbound.qos()
					+ ", subscription identifiers " + inbound.subscriptionIds() + ") goes to listener(s) " + targets);
		}
		if (targets.isEmpty() && this.shuttingDown) {
			// A persistent session redelivers it.
			delivery.leaveUnacknowledged();
		}
		// else, if empty: a stopped listener's message, still in flight: dropped.
		for (ListenerContainer container : targets) {
			container.submit(delivery);
		}
		return true;
	}

	/**
	 * The listeners' view of the connection's inbound messages.
	 */
	private final class Receiver implements MqttInboundReceiver {

		@Override
		public boolean receive(InboundDelivery delivery) {
			return ListenerSubscriptions.this.receive(delivery);
		}

		@Override
		public void connected() {
			ListenerSubscriptions.this.connected();
		}

		@Override
		public String toString() {
			return "MQTT listeners";
		}

	}

	/**
	 * An immutable snapshot of the subscriptions, for routing on Paho's thread.
	 *
	 * @param byId the subscriptions by MQTT 5 subscription identifier
	 * @param all every subscription
	 */
	private record Routes(Map<Integer, ListenerSubscription> byId, List<ListenerSubscription> all) {

		static Routes of(Iterable<ListenerSubscription> subscriptions) {
			Map<Integer, ListenerSubscription> byId = new HashMap<>();
			List<ListenerSubscription> all = new ArrayList<>();
			for (ListenerSubscription subscription : subscriptions) {
				byId.put(subscription.getSubscriptionId(), subscription);
				all.add(subscription);
			}
			return new Routes(Map.copyOf(byId), List.copyOf(all));
		}

		/**
		 * Collect the running listeners a message is for.
		 * @param message the message
		 * @param targets receives the listeners, each once (usually one: a small list)
		 * @return whether the message belongs to one of the subscriptions (even if no
		 * listener of it runs)
		 */
		boolean route(InboundMessage message, List<ListenerContainer> targets) {
			boolean routed = false;
			for (Integer id : message.subscriptionIds()) {
				ListenerSubscription subscription = this.byId.get(id);
				if (subscription != null && subscription.getFilter().matches(message.topic())) {
					routed = true;
					addRunning(subscription, targets);
				}
			}
			if (routed) {
				return true;
			}
			for (ListenerSubscription subscription : this.all) {
				if (subscription.getFilter().matches(message.topic())) {
					routed = true;
					addRunning(subscription, targets);
				}
			}
			return routed;
		}

		private static void addRunning(ListenerSubscription subscription, List<ListenerContainer> targets) {
			for (ListenerContainer container : subscription.getContainers()) {
				if (container.isAccepting() && !targets.contains(container)) {
					targets.add(container);
				}
			}
		}

	}

}
