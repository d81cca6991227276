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
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

import io.mqttboot.connection.MqttConnection;
import io.mqttboot.connection.MqttConnections;
import io.mqttboot.connection.MqttSubscriptionStatus;
import io.mqttboot.core.MqttTemplate;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.messaging.handler.annotation.support.MessageHandlerMethodFactory;
import org.springframework.util.Assert;

/**
 * The {@link MqttListener @MqttListener}s of the application, by id: lists them, starts
 * and stops them one by one and all together (as a {@link SmartLifecycle}). Their
 * containers come from a {@link MqttListenerContainerFactory}; the subscriptions of the
 * listeners of a connection, and the routing of its messages to them, belong to that
 * connection's subscription manager (one per connection, made when its first listener
 * registers), which subscribes their topic filters on every (re)connection, routes
 * every inbound message to the listeners whose subscriptions it matches (once per
 * listener, using MQTT 5 subscription identifiers for filters that overlap, when the
 * broker supports them) and holds its acknowledgement until they all returned.
 * <p>
 * With listeners present, the registry turns on manual acknowledgement on the client
 * manager: a Spring Integration inbound adapter on the same client manager must then
 * acknowledge its messages itself (its messages carry the
 * {@code IntegrationMessageHeaderAccessor.ACKNOWLEDGMENT_CALLBACK} header).
 * <p>
 * A listener stopped by {@link #stop(String)} is unsubscribed unless another running
 * listener uses the same filter; stopping the registry (at shutdown) never unsubscribes,
 * so that a persistent session keeps collecting messages. At shutdown the registry waits
 * up to 30 seconds for the listeners to finish the messages they received.
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

	private static final String DEFAULT_CONNECTION = MqttConnection.DEFAULT_NAME;

	private final Function<String, MqttConnection> connections;

	private final MqttListenerContainerFactory containerFactory;

	private final Object monitor = new Object();

	private final Map<String, ListenerContainer> containers = new LinkedHashMap<>();

	// The subscription manager of each connection, by connection name
	private final Map<String, ListenerSubscriptions> subscriptions = new LinkedHashMap<>();

	private volatile State state = State.NEW;

	/**
	 * Create a new registry whose listeners run on the connections of the application,
	 * each on the one its {@link MqttListener#connection()} names, with containers from
	 * the given factory.
	 * @param connections the connections
	 * @param containerFactory the factory of the listener containers
	 */
	public MqttListenerEndpointRegistry(MqttConnections connections, MqttListenerContainerFactory containerFactory) {
		this(lookup(connections), containerFactory);
	}

	/**
	 * Create a new registry whose listeners all run on the given connection, with
	 * containers from the given factory.
	 * @param connection the connection
	 * @param containerFactory the factory of the listener containers
	 */
	public MqttListenerEndpointRegistry(MqttConnection connection, MqttListenerContainerFactory containerFactory) {
		this(lookup(connection), containerFactory);
	}

	/**
	 * Create a new registry whose listeners all run on the given connection, with
	 * containers from a {@link MqttListenerContainerFactory} of its own: platform
	 * threads, the given error handler and template.
	 * @param connection the connection
	 * @param defaultErrorHandler the error handler of listeners that name none
	 * @param templates the template that publishes return values
	 */
	public MqttListenerEndpointRegistry(MqttConnection connection, MqttListenerErrorHandler defaultErrorHandler,
			ObjectProvider<MqttTemplate> templates) {
		this(connection, createContainerFactory(defaultErrorHandler, templates));
	}

	private MqttListenerEndpointRegistry(Function<String, MqttConnection> connections,
			MqttListenerContainerFactory containerFactory) {
		Assert.notNull(containerFactory, "'containerFactory' must not be null");
		this.connections = connections;
		this.containerFactory = containerFactory;
	}

	private static Function<String, MqttConnection> lookup(MqttConnections connections) {
		Assert.notNull(connections, "'connections' must not be null");
		return connections::get;
	}

	private static Function<String, MqttConnection> lookup(MqttConnection connection) {
		Assert.notNull(connection, "'connection' must not be null");
		return (name) -> {
			if (!name.equals(connection.getName())) {
				throw new IllegalArgumentException("No MQTT connection named '" + name
						+ "'; this registry has only the connection '" + connection.getName() + "'");
			}
			return connection;
		};
	}

	private static MqttListenerContainerFactory createContainerFactory(MqttListenerErrorHandler defaultErrorHandler,
			ObjectProvider<MqttTemplate> templates) {
		Assert.notNull(defaultErrorHandler, "'defaultErrorHandler' must not be null");
		Assert.notNull(templates, "'templates' must not be null");
		MqttListenerContainerFactory factory = new MqttListenerContainerFactory();
		factory.setErrorHandler(defaultErrorHandler);
		factory.setReplyTemplates((connection) -> templates.getIfAvailable());
		return factory;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) throws BeansException {
		// For a container factory that is no bean
		this.containerFactory.setBeanFactoryIfAbsent(beanFactory);
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
	 * Return what a listener subscribes to: its connection, topic filters, QoS and share
	 * group.
	 * @param id the listener id
	 * @return the description
	 * @throws IllegalArgumentException if there is no listener with that id
	 */
	public MqttListenerDescription getDescription(String id) {
		return MqttListenerDescription.of(container(id));
	}

	/**
	 * Return the live counts of a listener: messages queued, handled, failed and
	 * dropped.
	 * @param id the listener id
	 * @return the statistics, updated as messages arrive
	 * @throws IllegalArgumentException if there is no listener with that id
	 */
	public MqttListenerStatistics getStatistics(String id) {
		return container(id).getStatistics();
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
			subscriptionsOf(container).subscribe(container);
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
			subscriptionsOf(container).unsubscribe(container);
		}
	}

	/**
	 * Return the subscriptions the broker refused on the current connections (SUBACK
	 * failure codes, or a SUBSCRIBE that could not be sent), with the reason.
	 * @return the reasons by topic filter; empty when every subscription was granted
	 */
	@Override
	public Map<String, String> getFailedSubscriptions() {
		synchronized (this.monitor) {
			Map<String, String> failed = new TreeMap<>();
			this.subscriptions.values().forEach((s) -> failed.putAll(s.getFailedSubscriptions()));
			return Collections.unmodifiableMap(failed);
		}
	}

	/**
	 * Return the subscriptions the broker refused on the current connection of the given
	 * name, with the reason.
	 * @param connectionName the name of the connection
	 * @return the reasons by topic filter; empty when every subscription was granted
	 */
	@Override
	public Map<String, String> getFailedSubscriptions(String connectionName) {
		synchronized (this.monitor) {
			ListenerSubscriptions subscriptions = this.subscriptions.get(connectionName);
			return (subscriptions != null)
					? Collections.unmodifiableMap(new TreeMap<>(subscriptions.getFailedSubscriptions())) : Map.of();
		}
	}

	/**
	 * Register a listener. It is started with the registry if it auto-starts, or at once
	 * if the registry runs.
	 * @param endpoint the listener
	 * @param handlerMethodFactory the factory of its invocable handler method, unless the
	 * container factory has one
	 */
	void registerEndpoint(MqttListenerEndpoint endpoint, MessageHandlerMethodFactory handlerMethodFactory) {
		synchronized (this.monitor) {
			ListenerContainer existing = this.containers.get(endpoint.id());
			if (existing != null) {
				throw new MqttListenerDefinitionException(endpoint.describeMethod(),
						"Two @MqttListener methods have the id '" + endpoint.id() + "': "
								+ existing.getEndpoint().describeMethod() + " and " + endpoint.describeMethod(),
						"Give each listener a unique id");
			}
			ListenerSubscriptions subscriptions = subscriptionsFor(endpoint);
			ListenerContainer container = this.containerFactory.createContainer(endpoint, handlerMethodFactory);
			subscriptions.add(container);
			this.containers.put(endpoint.id(), container);
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
	 * connection: the broker answered its SUBSCRIBEs since the client last connected and
	 * granted each of them. Tests wait for this before they publish to a listener.
	 * @param id the listener id
	 * @return whether the listener is subscribed
	 * @throws IllegalArgumentException if there is no listener with that id
	 */
	public boolean isSubscribed(String id) {
		synchronized (this.monitor) {
			ListenerContainer container = container(id);
			return subscriptionsOf(container).isSubscribed(container);
		}
	}

	/**
	 * Return whether subscriptions carry MQTT 5 subscription identifiers on the current
	 * connection.
	 * @return whether subscription identifiers are used
	 */
	boolean usesSubscriptionIdentifiers() {
		synchronized (this.monitor) {
			ListenerSubscriptions subscriptions = this.subscriptions.get(DEFAULT_CONNECTION);
			return subscriptions != null && subscriptions.usesSubscriptionIdentifiers();
		}
	}

	/**
	 * Return the subscription identifier sent with the last SUBSCRIBE of a topic filter.
	 * @param topicFilter the subscription's topic filter
	 * @return the identifier, or {@code null} if none was sent
	 */
	@Nullable Integer requestedSubscriptionId(String topicFilter) {
		synchronized (this.monitor) {
			ListenerSubscriptions subscriptions = this.subscriptions.get(DEFAULT_CONNECTION);
			return (subscriptions != null) ? subscriptions.requestedSubscriptionId(topicFilter) : null;
		}
	}

	/**
	 * Return the container of a listener.
	 * @param id the listener id
	 * @return the container
	 * @throws IllegalArgumentException if there is no listener with that id
	 */
	ListenerContainer container(String id) {
		synchronized (this.monitor) {
			ListenerContainer container = this.containers.get(id);
			if (container == null) {
				throw new IllegalArgumentException(
						"No MQTT listener with id '" + id + "'; the ids are " + this.containers.keySet());
			}
			return container;
		}
	}

	// The subscription manager of the endpoint's connection, made with its first
	// listener
	private ListenerSubscriptions subscriptionsFor(MqttListenerEndpoint endpoint) {
		return this.subscriptions.computeIfAbsent(endpoint.connection(),
				(name) -> new ListenerSubscriptions(connection(endpoint)));
	}

	private MqttConnection connection(MqttListenerEndpoint endpoint) {
		try {
			return this.connections.apply(endpoint.connection());
		}
		catch (IllegalArgumentException ex) {
			throw new MqttListenerDefinitionException(endpoint.describeMethod(),
					"@MqttListener '" + endpoint.id() + "' on " + endpoint.describeMethod() + " names the connection '"
							+ endpoint.connection() + "': " + ex.getMessage(),
					"Configure the connection under mqtt.connections." + endpoint.connection()
							+ ", or correct the connection attribute",
					ex);
		}
	}

	private ListenerSubscriptions subscriptionsOf(ListenerContainer container) {
		return subscriptionsFor(container.getEndpoint());
	}

	@Override
	public void start() {
		synchronized (this.monitor) {
			if (this.state == State.RUNNING) {
				return;
			}
			this.state = State.RUNNING;
			for (ListenerSubscriptions subscriptions : this.subscriptions.values()) {
				subscriptions.setShuttingDown(false);
			}
			for (ListenerContainer container : this.containers.values()) {
				if (container.getEndpoint().autoStartup()) {
					container.start();
				}
			}
			this.subscriptions.values().forEach(ListenerSubscriptions::subscribeAll);
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
			for (ListenerSubscriptions subscriptions : this.subscriptions.values()) {
				subscriptions.setShuttingDown(true);
			}
			this.containers.values().forEach(ListenerContainer::stop);
			return new ArrayList<>(this.containers.values());
		}
	}

	private static void awaitIdle(List<ListenerContainer> containers) {
		long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
		for (ListenerContainer container : containers) {
			Duration remaining = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
			if (!container.awaitIdle(remaining)) {
				logger.warn("MQTT listener '" + container.getId() + "' did not finish its messages within "
						+ STOP_TIMEOUT.toSeconds() + "s; the unacknowledged ones are redelivered to a persistent "
						+ "session (QoS 2 ones on MQTT 3.1.1 only with mqtt.persistence=file)");
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
			this.subscriptions.values().forEach(ListenerSubscriptions::close);
			this.containers.values().forEach(ListenerContainer::close);
		}
	}

	private enum State {

		NEW, RUNNING, STOPPED

	}

}
