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

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;

/**
 * One subscription on the connection: a subscription topic filter shared by every
 * listener that declares it, with the highest QoS they ask for and their MQTT 5 options
 * (which must agree), and a subscription identifier stable across restarts, sent only
 * when the filter overlaps another listener filter (see {@link #isOverlapping()}).
 *
 * @author mqttboot
 */
final class ListenerSubscription {

	private final TopicFilter filter;

	private final int subscriptionId;

	private final List<ListenerContainer> containers = new CopyOnWriteArrayList<>();

	private volatile int qos;

	private final boolean noLocal;

	private final boolean retainAsPublished;

	private final int retainHandling;

	private volatile long requestedOn = -1;

	private volatile long grantedOn = -1;

	private volatile boolean overlapping;

	private volatile @Nullable Integer requestedSubscriptionId;

	ListenerSubscription(TopicFilter filter, int subscriptionId, int qos, boolean noLocal, boolean retainAsPublished,
			int retainHandling) {
		this.filter = filter;
		this.subscriptionId = subscriptionId;
		this.qos = qos;
		this.noLocal = noLocal;
		this.retainAsPublished = retainAsPublished;
		this.retainHandling = retainHandling;
	}

	/**
	 * Add a listener.
	 * @param container the listener's container
	 * @param endpoint the listener's endpoint
	 * @param qos the QoS the listener subscribes with
	 * @throws MqttListenerDefinitionException if its MQTT 5 options differ from those of the
	 * listeners that share this subscription
	 */
	void add(ListenerContainer container, MqttListenerEndpoint endpoint, int qos) {
		if (endpoint.noLocal() != this.noLocal || endpoint.retainAsPublished() != this.retainAsPublished
				|| endpoint.retainHandling() != this.retainHandling) {
			throw new MqttListenerDefinitionException(endpoint.describeMethod(),
					"MQTT listener '" + endpoint.id() + "' subscribes to '" + getTopicFilter()
					+ "' with noLocal=" + endpoint.noLocal() + ", retainAsPublished=" + endpoint.retainAsPublished()
					+ ", retainHandling=" + endpoint.retainHandling() + " but listener(s) " + getListenerIds()
					+ " subscribe to the same filter with noLocal=" + this.noLocal + ", retainAsPublished="
					+ this.retainAsPublished + ", retainHandling=" + this.retainHandling
					+ ": one connection has one subscription per filter, so these options must agree",
					"Give the listeners of the filter '" + getTopicFilter() + "' the same noLocal, retainAsPublished "
							+ "and retainHandling");
		}
		this.qos = Math.max(this.qos, qos);
		if (!this.containers.contains(container)) {
			this.containers.add(container);
		}
	}

	TopicFilter getFilter() {
		return this.filter;
	}

	String getTopicFilter() {
		return this.filter.getSubscription();
	}

	int getSubscriptionId() {
		return this.subscriptionId;
	}

	int getQos() {
		return this.qos;
	}

	boolean isNoLocal() {
		return this.noLocal;
	}

	boolean isRetainAsPublished() {
		return this.retainAsPublished;
	}

	int getRetainHandling() {
		return this.retainHandling;
	}

	List<ListenerContainer> getContainers() {
		return this.containers;
	}

	List<String> getListenerIds() {
		return this.containers.stream().map(ListenerContainer::getId).toList();
	}

	/**
	 * Return whether a running listener (other than the given one) uses this
	 * subscription.
	 * @param except a container to ignore, or {@code null}
	 * @return whether the subscription is needed
	 */
	boolean isNeeded(@Nullable ListenerContainer except) {
		for (ListenerContainer container : this.containers) {
			if (container != except && container.isAccepting()) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Return whether a message may match this subscription and another one. Only then
	 * does the subscription need its subscription identifier: a message that matches a
	 * subscription overlapping no other is routed by its topic alone, and a broker that
	 * adds an identifier to every message costs more than the match (on both sides).
	 * @return whether the filter overlaps another listener filter
	 */
	boolean isOverlapping() {
		return this.overlapping;
	}

	void setOverlapping() {
		this.overlapping = true;
	}

	/**
	 * Return the subscription identifier sent with the last SUBSCRIBE.
	 * @return the subscription identifier, or {@code null} if none was sent
	 */
	@Nullable Integer getRequestedSubscriptionId() {
		return this.requestedSubscriptionId;
	}

	void setRequestedSubscriptionId(@Nullable Integer subscriptionId) {
		this.requestedSubscriptionId = subscriptionId;
	}

	/**
	 * Return whether a SUBSCRIBE was sent on the given connection.
	 * @param connection the connection number
	 * @return whether it was requested
	 */
	boolean isRequestedOn(long connection) {
		return this.requestedOn == connection;
	}

	void setRequestedOn(long connection) {
		this.requestedOn = connection;
	}

	/**
	 * Return whether the broker granted this subscription on the given connection.
	 * @param connection the connection number
	 * @return whether it was granted
	 */
	boolean isGrantedOn(long connection) {
		return this.grantedOn == connection;
	}

	void setGrantedOn(long connection) {
		this.grantedOn = connection;
	}

	/**
	 * Forget that the subscription was requested or granted, after an UNSUBSCRIBE.
	 */
	void reset() {
		this.requestedOn = -1;
		this.grantedOn = -1;
	}

	@Override
	public String toString() {
		return getTopicFilter();
	}

}
