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

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.mqttboot.connection.InboundDelivery;
import io.mqttboot.connection.InboundMessage;
import io.mqttboot.connection.MqttConnection;
import io.mqttboot.connection.MqttInboundReceiver;
import io.mqttboot.connection.MqttSubscriptionStatus;
import io.mqttboot.core.MqttTemplate;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.integration.mqtt.support.MqttHeaders;
import org.springframework.messaging.handler.annotation.support.MessageHandlerMethodFactory;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.util.Assert;
import org.springframework.util.CustomizableThreadCreator;

/**
 * The {@link MqttListener @MqttListener}s of the application, all on one
 * {@link MqttConnection}: lists them, starts and stops them by id, subscribes
 * their topic filters on every (re)connection, routes every inbound message to the
 * listeners whose subscriptions it matches (once per listener, using MQTT 5 subscription
 * identifiers for filters that overlap, when the broker supports them) and holds its
 * acknowledgement until they all returned.
 * <p>
 * With listeners present, the registry turns on manual acknowledgement on the client
 * manager: a Spring Integration inbound adapter on the same client manager must then
 * acknowledge its messages itself (its messages carry the
 * {@code IntegrationMessageHeaderAccessor.ACKNOWLEDGMENT_CALLBACK} header).
 * <p>
 * A listener stopped by {@link #stop(String)} is unsubscribed unless another running
 * listener uses the same filter; stopping the registry (at shutdown) never unsubscribes,
 * so that a persistent session keeps collecting messages.
 *
 * @author mqttboot
 */
public class MqttListenerEndpointRegistry
		implements SmartLifecycle, BeanFactoryAware, DisposableBean, MqttSubscriptionStatus {

	/**
	 * The name of the registry bean.
	 */
	public static final String DEFAULT_BEAN_NAME = "mqttListenerEndpointRegistry";

	/**
	 * The name of the default {@link MqttListenerErrorHandler} bean, which wins over other
	 * handler beans.
	 */
	public static final String DEFAULT_ERROR_HANDLER_BEAN_NAME = "mqttListenerErrorHandler";

	/**
	 * The lifecycle phase: after the client manager (phase 0) at startup, before it at
	 * shutdown, so that listeners finish and acknowledge before the connection closes.
	 */
	public static final int DEFAULT_PHASE = SmartLifecycle.DEFAULT_PHASE - 100;

	private static final Log logger = LogFactory.getLog(MqttListenerEndpointRegistry.class);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

	private static final int MIN_SUBSCRIPTION_ID = 65536;

	private static final int MAX_SUBSCRIPTION_ID = 268_435_455;

	private final MqttConnection connection;

	private final MqttListenerErrorHandler defaultErrorHandler;

	private final ReplySender replySender;

	private final Receiver receiver = new Receiver();

	private final Object monitor = new Object();

	private final Map<String, ListenerContainer> containers = new LinkedHashMap<>();

	private final Map<String, ListenerSubscription> subscriptions = new LinkedHashMap<>();

	private final Set<Integer> subscriptionIds = new HashSet<>();

	private final Map<String, String> failedSubscriptions = new ConcurrentHashMap<>();

	private volatile Routes routes = new Routes(Map.of(), List.of());

	private volatile State state = State.NEW;

	private @Nullable MqttConnection client;

	private boolean manualAcks;

	private @Nullable ThreadPoolExecutor executor;

	private @Nullable BeanFactory beanFactory;

	/**
	 * Create a new registry.
	 * @param connection the connection of the listeners
	 * @param defaultErrorHandler the error handler of listeners that name none
	 * @param templates the template that publishes return values
	 */
	public MqttListenerEndpointRegistry(MqttConnection connection, MqttListenerErrorHandler defaultErrorHandler,
			ObjectProvider<MqttTemplate> templates) {
		Assert.notNull(connection, "'connection' must not be null");
		Assert.notNull(defaultErrorHandler, "'defaultErrorHandler' must not be null");
		Assert.notNull(templates, "'templates' must not be null");
		this.connection = connection;
		this.defaultErrorHandler = defaultErrorHandler;
		this.replySender = new ReplySender(templates);
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) throws BeansException {
		this.beanFactory = beanFactory;
	}

	/**
	 * Return the ids of the listeners, in registration order.
	 * @return the listener ids
	 */
	public Set<String> getListenerIds() {
		synchronized (this.monitor) {
			return Collections.unmodifiableSet(new LinkedHashSet<>(this.containers.keySet()));
		}
	}

	/**
	 * Return whether a listener is running: subscribed (or to be subscribed once
	 * connected) and processing messages.
	 * @param id the listener id
	 * @return whether the listener runs
	 * @throws IllegalArgumentException if there is no listener with that id
	 */
	public boolean isRunning(String id) {
		return container(id).isRunning();
	}

	/**
	 * Start a listener: subscribe its filters (now if connected, else on connection) and
	 * process its messages. Does nothing if it runs.
	 * @param id the listener id
	 * @throws IllegalArgumentException if there is no listener with that id
	 */
	public void start(String id) {
		synchronized (this.monitor) {
			ListenerContainer container = container(id);
			container.start();
			MqttConnection client = this.client;
			if (client != null && client.isConnected()) {
				container.getSubscriptions().forEach((subscription) -> subscribe(client, subscription));
			}
		}
	}

	/**
	 * Stop a listener: it takes no new messages, finishes those it already received, and
	 * its filters are unsubscribed unless another running listener uses them. Does
	 * nothing if it is stopped.
	 * @param id the listener id
	 * @throws IllegalArgumentException if there is no listener with that id
	 */
	public void stop(String id) {
		synchronized (this.monitor) {
			ListenerContainer container = container(id);
			if (!container.isAccepting()) {
				return;
			}
			container.stop();
			MqttConnection client = this.client;
			for (ListenerSubscription subscription : container.getSubscriptions()) {
				if (!subscription.isNeeded(container)) {
					if (client != null && client.isConnected()) {
						client.unsubscribe(subscription.getTopicFilter());
					}
					subscription.reset();
					this.failedSubscriptions.remove(subscription.getTopicFilter());
				}
			}
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
	 * Register a listener. It is started with the registry if it auto-starts, or at once
	 * if the registry runs.
	 * @param endpoint the listener
	 * @param handlerMethodFactory the factory of its invocable handler method
	 */
	void registerEndpoint(MqttListenerEndpoint endpoint, MessageHandlerMethodFactory handlerMethodFactory) {
		synchronized (this.monitor) {
			ListenerContainer existing = this.containers.get(endpoint.id());
			if (existing != null) {
				throw new IllegalStateException("Two @MqttListener methods have the id '" + endpoint.id() + "': "
						+ existing.getEndpoint().describeMethod() + " and " + endpoint.describeMethod()
						+ "; set a unique 'id'");
			}
			MqttConnection client = openClient();
			if (!client.getProtocolVersion().isV5() && endpoint.usesMqtt5Options()) {
				throw new IllegalStateException("@MqttListener '" + endpoint.id() + "' on "
						+ endpoint.describeMethod() + " sets noLocal, retainAsPublished or retainHandling, which "
						+ "need MQTT 5, but the connection uses MQTT 3 (mqtt.protocol-version)");
			}
			MqttListenerErrorHandler errorHandler = errorHandler(endpoint);
			InvocableHandlerMethod handlerMethod = handlerMethodFactory.createInvocableHandlerMethod(endpoint.bean(),
					endpoint.method());
			int qos = effectiveQos(endpoint);
			ListenerContainer container = new ListenerContainer(endpoint,
					new MqttMessageListenerAdapter(endpoint, handlerMethod, errorHandler, this.replySender),
					new SerialExecutor(executor(), "mqtt-listener-" + endpoint.id()));
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
			List<ListenerSubscription> overlapping = markOverlaps(client, added.values());
			this.subscriptions.putAll(added);
			this.containers.put(endpoint.id(), container);
			this.routes = Routes.of(this.subscriptions.values());
			for (ListenerSubscription subscription : overlapping) {
				if (subscription.isNeeded(null)) {
					// Subscribed without an identifier so far: replaced with one if the
					// broker takes identifiers (see subscribe).
					subscribe(client, subscription);
				}
			}
			if (endpoint.autoStartup()) {
				if (this.state == State.RUNNING) {
					start(endpoint.id());
				}
				else if (this.state == State.NEW) {
					// Messages of a persistent session can arrive as soon as the client
					// manager connects: they queue until the registry starts.
					container.accept();
				}
			}
		}
	}

	/**
	 * Return whether every subscription of a listener was granted on the current
	 * connection.
	 * @param id the listener id
	 * @return whether the listener is subscribed
	 */
	boolean isSubscribed(String id) {
		ListenerContainer container = container(id);
		MqttConnection client = this.client;
		if (client == null) {
			return false;
		}
		long connection = client.currentConnection();
		return container.getSubscriptions().stream().allMatch((s) -> s.isGrantedOn(connection));
	}

	/**
	 * Return whether subscriptions carry MQTT 5 subscription identifiers on the current
	 * connection.
	 * @return whether subscription identifiers are used
	 */
	boolean usesSubscriptionIdentifiers() {
		MqttConnection client = this.client;
		return client != null && client.supportsSubscriptionIdentifiers();
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

	private ListenerContainer container(String id) {
		synchronized (this.monitor) {
			ListenerContainer container = this.containers.get(id);
			if (container == null) {
				throw new IllegalArgumentException(
						"No MQTT listener with id '" + id + "'; the ids are " + this.containers.keySet());
			}
			return container;
		}
	}

	private MqttConnection openClient() {
		MqttConnection client = this.client;
		if (client == null) {
			client = this.connection;
			this.manualAcks = client.enableManualAcks();
			if (!this.manualAcks) {
				logger.warn("The MQTT client manager " + client.getClientManager().getClass().getName()
						+ " cannot acknowledge messages manually: messages are acknowledged when they arrive, "
						+ "before the listener ran");
			}
			client.open(this.receiver);
			this.client = client;
		}
		return client;
	}

	private ThreadPoolExecutor executor() {
		ThreadPoolExecutor executor = this.executor;
		if (executor == null) {
			CustomizableThreadCreator threads = new CustomizableThreadCreator("mqtt-listener-");
			threads.setDaemon(true);
			executor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
					threads::createThread);
			this.executor = executor;
		}
		return executor;
	}

	private MqttListenerErrorHandler errorHandler(MqttListenerEndpoint endpoint) {
		String name = endpoint.errorHandlerBeanName();
		if (name == null) {
			return this.defaultErrorHandler;
		}
		Assert.state(this.beanFactory != null, "No BeanFactory to look up error handler beans in");
		try {
			return this.beanFactory.getBean(name, MqttListenerErrorHandler.class);
		}
		catch (NoSuchBeanDefinitionException ex) {
			throw new IllegalStateException("@MqttListener '" + endpoint.id() + "' on " + endpoint.describeMethod()
					+ " names the error handler '" + name + "', but there is no MqttListenerErrorHandler bean "
					+ "of that name", ex);
		}
	}

	private int effectiveQos(MqttListenerEndpoint endpoint) {
		if (endpoint.qos() == 2 && this.manualAcks) {
			logger.info("MQTT listener '" + endpoint.id() + "' asks for QoS 2 and is subscribed with QoS 1: Paho "
					+ "acknowledges QoS 2 messages when they arrive, so QoS 1 is the highest level at which a "
					+ "message is acknowledged only after the listener returned (at least once; see the "
					+ MqttHeaders.DUPLICATE + " header)");
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
	 * @param client the client
	 * @param added the new subscriptions
	 * @return the registered subscriptions that overlap another one only now
	 */
	private List<ListenerSubscription> markOverlaps(MqttConnection client,
			Collection<ListenerSubscription> added) {
		List<ListenerSubscription> others = new ArrayList<>(this.subscriptions.values());
		int registered = others.size();
		List<ListenerSubscription> newlyOverlapping = new ArrayList<>();
		for (ListenerSubscription subscription : added) {
			for (int i = 0; i < others.size(); i++) {
				ListenerSubscription other = others.get(i);
				if (!other.getFilter().overlaps(subscription.getFilter())) {
					continue;
				}
				if (!client.getProtocolVersion().isV5()) {
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
				MqttConnection client = this.client;
				if (client == null) {
					return;
				}
				this.failedSubscriptions.clear();
				for (ListenerSubscription subscription : this.subscriptions.values()) {
					if (subscription.isNeeded(null)) {
						subscribe(client, subscription);
					}
				}
			}
		}
		catch (RuntimeException ex) {
			logger.error("Could not restore the subscriptions of the MQTT listeners", ex);
		}
	}

	private void subscribe(MqttConnection client, ListenerSubscription subscription) {
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
		client.subscribe(request, new MqttConnection.SubscribeResult() {

			@Override
			public void granted(int qos) {
				subscription.setGrantedOn(connection);
				MqttListenerEndpointRegistry.this.failedSubscriptions.remove(topicFilter);
				if (logger.isDebugEnabled()) {
					logger.debug("Subscribed to '" + topicFilter + "' with QoS " + qos + " for MQTT listener(s) "
							+ subscription.getListenerIds());
				}
			}

			@Override
			public void refused(String reason, @Nullable Throwable cause) {
				if (subscription.isRequestedOn(connection)) {
					subscription.setRequestedOn(-1);
				}
				MqttListenerEndpointRegistry.this.failedSubscriptions.put(topicFilter, reason);
				logger.warn("The MQTT broker refused the subscription to '" + topicFilter + "' of listener(s) "
						+ subscription.getListenerIds() + ": " + reason);
			}

		});
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
		if (targets.isEmpty() && this.state == State.STOPPED) {
			// Shutting down: a persistent session redelivers it.
			delivery.leaveUnacknowledged();
		}
		// else, if empty: a stopped listener's message, still in flight: dropped.
		for (ListenerContainer container : targets) {
			submit(container, delivery);
		}
		return true;
	}

	private void submit(ListenerContainer container, InboundDelivery delivery) {
		delivery.hold();
		container.submit(delivery.message(), delivery::release);
	}

	@Override
	public void start() {
		synchronized (this.monitor) {
			if (this.state == State.RUNNING) {
				return;
			}
			this.state = State.RUNNING;
			for (ListenerContainer container : this.containers.values()) {
				if (container.getEndpoint().autoStartup()) {
					container.start();
				}
			}
			MqttConnection client = this.client;
			if (client != null && client.isConnected()) {
				for (ListenerSubscription subscription : this.subscriptions.values()) {
					if (subscription.isNeeded(null)) {
						subscribe(client, subscription);
					}
				}
			}
		}
	}

	@Override
	public void stop() {
		awaitIdle(stopAccepting());
	}

	@Override
	public void stop(Runnable callback) {
		List<ListenerContainer> stopping = stopAccepting();
		if (stopping.isEmpty()) {
			callback.run();
			return;
		}
		Thread thread = new Thread(() -> {
			awaitIdle(stopping);
			callback.run();
		}, "mqtt-listener-stop");
		thread.setDaemon(true);
		thread.start();
	}

	private List<ListenerContainer> stopAccepting() {
		synchronized (this.monitor) {
			if (this.state != State.RUNNING) {
				return List.of();
			}
			this.state = State.STOPPED;
			this.containers.values().forEach(ListenerContainer::stop);
			return new ArrayList<>(this.containers.values());
		}
	}

	private static void awaitIdle(List<ListenerContainer> containers) {
		long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
		for (ListenerContainer container : containers) {
			Duration remaining = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
			if (!container.getExecutor().awaitIdle(remaining)) {
				logger.warn("MQTT listener '" + container.getId() + "' did not finish its messages within "
						+ STOP_TIMEOUT.toSeconds() + "s; the unacknowledged ones are redelivered to a persistent "
						+ "session");
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.state == State.RUNNING;
	}

	@Override
	public int getPhase() {
		return DEFAULT_PHASE;
	}

	@Override
	public void destroy() {
		synchronized (this.monitor) {
			MqttConnection client = this.client;
			if (client != null) {
				client.close(this.receiver);
			}
			ThreadPoolExecutor executor = this.executor;
			if (executor != null) {
				executor.shutdownNow();
			}
		}
	}

	/**
	 * The registry's view of the connection's inbound messages.
	 */
	private final class Receiver implements MqttInboundReceiver {

		@Override
		public boolean receive(InboundDelivery delivery) {
			return MqttListenerEndpointRegistry.this.receive(delivery);
		}

		@Override
		public void connected() {
			MqttListenerEndpointRegistry.this.connected();
		}

		@Override
		public String toString() {
			return "MQTT listeners";
		}

	}

	private enum State {

		NEW, RUNNING, STOPPED

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
