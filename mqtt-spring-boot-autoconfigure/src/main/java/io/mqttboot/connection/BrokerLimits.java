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

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * What the broker announced about itself in the MQTT 5 CONNACK of the current
 * connection: its Maximum QoS, Retain Available, Maximum Packet Size, Receive Maximum,
 * Topic Alias Maximum, Server Keep Alive, Assigned Client Identifier and whether it
 * serves wildcard subscriptions, shared subscriptions and subscription identifiers. A
 * property the broker did not send has the value MQTT 5 gives its absence (no limit,
 * available). MQTT 3.x brokers announce nothing: their limits are {@link #unknown()}.
 *
 * @author mqttboot
 */
public final class BrokerLimits {

	private static final BrokerLimits UNKNOWN = new BrokerLimits(false, 2, true, null, 65535, 0, null, null, true, true,
			true);

	private final boolean announced;

	private final int maximumQos;

	private final boolean retainAvailable;

	private final @Nullable Long maximumPacketSize;

	private final int receiveMaximum;

	private final int topicAliasMaximum;

	private final @Nullable Integer serverKeepAlive;

	private final @Nullable String assignedClientIdentifier;

	private final boolean wildcardSubscriptionAvailable;

	private final boolean sharedSubscriptionAvailable;

	private final boolean subscriptionIdentifiersAvailable;

	BrokerLimits(boolean announced, int maximumQos, boolean retainAvailable, @Nullable Long maximumPacketSize,
			int receiveMaximum, int topicAliasMaximum, @Nullable Integer serverKeepAlive,
			@Nullable String assignedClientIdentifier, boolean wildcardSubscriptionAvailable,
			boolean sharedSubscriptionAvailable, boolean subscriptionIdentifiersAvailable) {
		this.announced = announced;
		this.maximumQos = maximumQos;
		this.retainAvailable = retainAvailable;
		this.maximumPacketSize = maximumPacketSize;
		this.receiveMaximum = receiveMaximum;
		this.topicAliasMaximum = topicAliasMaximum;
		this.serverKeepAlive = serverKeepAlive;
		this.assignedClientIdentifier = assignedClientIdentifier;
		this.wildcardSubscriptionAvailable = wildcardSubscriptionAvailable;
		this.sharedSubscriptionAvailable = sharedSubscriptionAvailable;
		this.subscriptionIdentifiersAvailable = subscriptionIdentifiersAvailable;
	}

	/**
	 * Return the limits of a broker that announced none (MQTT 3.x, or before the first
	 * connection): nothing is limited beyond MQTT itself.
	 * @return the unknown limits
	 */
	public static BrokerLimits unknown() {
		return UNKNOWN;
	}

	/**
	 * Return whether these limits come from a CONNACK.
	 * @return {@code false} for {@link #unknown()}
	 */
	public boolean isAnnounced() {
		return this.announced;
	}

	/**
	 * Return the highest QoS the broker accepts in a PUBLISH and grants to a subscription.
	 * @return 0, 1 or 2
	 */
	public int getMaximumQos() {
		return this.maximumQos;
	}

	/**
	 * Return whether the broker accepts retained messages.
	 * @return whether retain is available
	 */
	public boolean isRetainAvailable() {
		return this.retainAvailable;
	}

	/**
	 * Return the largest packet the broker accepts, in bytes.
	 * @return the maximum packet size, or {@code null} if the broker set no limit
	 */
	public @Nullable Long getMaximumPacketSize() {
		return this.maximumPacketSize;
	}

	/**
	 * Return how many QoS 1 and 2 publishes the broker accepts unacknowledged.
	 * @return the Receive Maximum
	 */
	public int getReceiveMaximum() {
		return this.receiveMaximum;
	}

	/**
	 * Return the highest topic alias the broker accepts (0: none).
	 * @return the Topic Alias Maximum
	 */
	public int getTopicAliasMaximum() {
		return this.topicAliasMaximum;
	}

	/**
	 * Return the keep-alive interval the broker imposed, which the client uses instead of
	 * its own.
	 * @return the Server Keep Alive in seconds, or {@code null} if the broker kept the
	 * client's
	 */
	public @Nullable Integer getServerKeepAlive() {
		return this.serverKeepAlive;
	}

	/**
	 * Return the client identifier the broker assigned to a client that connected
	 * without one.
	 * @return the Assigned Client Identifier, or {@code null}
	 */
	public @Nullable String getAssignedClientIdentifier() {
		return this.assignedClientIdentifier;
	}

	/**
	 * Return whether the broker serves subscriptions with {@code +} and {@code #}.
	 * @return whether wildcard subscriptions are available
	 */
	public boolean isWildcardSubscriptionAvailable() {
		return this.wildcardSubscriptionAvailable;
	}

	/**
	 * Return whether the broker serves {@code $share/} subscriptions.
	 * @return whether shared subscriptions are available
	 */
	public boolean isSharedSubscriptionAvailable() {
		return this.sharedSubscriptionAvailable;
	}

	/**
	 * Return whether the broker accepts subscription identifiers.
	 * @return whether subscription identifiers are available
	 */
	public boolean isSubscriptionIdentifiersAvailable() {
		return this.subscriptionIdentifiersAvailable;
	}

	/**
	 * Fail a PUBLISH the broker would answer with a disconnect.
	 * @param topic the topic
	 * @param qos the QoS
	 * @param retain the retain flag
	 * @param packetSize the size of the whole PUBLISH packet, in bytes
	 * @throws IllegalArgumentException naming the limit and the broker's value
	 */
	void checkPublish(String topic, int qos, boolean retain, long packetSize) {
		if (qos > this.maximumQos) {
			throw new IllegalArgumentException("QoS " + qos + " is above the broker's Maximum QoS " + this.maximumQos
					+ ": nothing was published to '" + topic + "'");
		}
		if (retain && !this.retainAvailable) {
			throw new IllegalArgumentException("The broker does not accept retained messages (Retain Available "
					+ "false): nothing was published to '" + topic + "'");
		}
		Long maximum = this.maximumPacketSize;
		if (maximum != null && packetSize > maximum) {
			throw new IllegalArgumentException("The PUBLISH packet of " + packetSize + " bytes is larger than the "
					+ "broker's Maximum Packet Size of " + maximum + " bytes: nothing was published to '" + topic + "'");
		}
	}

	/**
	 * Return the limits as health and endpoint details: those the broker announced.
	 * @return the limits by name
	 */
	public Map<String, Object> toMap() {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("maximumQos", this.maximumQos);
		map.put("retainAvailable", this.retainAvailable);
		if (this.maximumPacketSize != null) {
			map.put("maximumPacketSize", this.maximumPacketSize);
		}
		map.put("receiveMaximum", this.receiveMaximum);
		map.put("topicAliasMaximum", this.topicAliasMaximum);
		if (this.serverKeepAlive != null) {
			map.put("serverKeepAlive", this.serverKeepAlive);
		}
		if (this.assignedClientIdentifier != null) {
			map.put("assignedClientIdentifier", this.assignedClientIdentifier);
		}
		map.put("wildcardSubscriptionAvailable", this.wildcardSubscriptionAvailable);
		map.put("sharedSubscriptionAvailable", this.sharedSubscriptionAvailable);
		map.put("subscriptionIdentifiersAvailable", this.subscriptionIdentifiersAvailable);
		return map;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return this == other || (other instanceof BrokerLimits limits && this.announced == limits.announced
				&& toMap().equals(limits.toMap()));
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.announced, toMap());
	}

	@Override
	public String toString() {
		return (this.announced) ? "BrokerLimits" + toMap() : "BrokerLimits[unknown]";
	}

}
