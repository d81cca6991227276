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
package io.mqttboot.event;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEvent;
import org.springframework.util.Assert;

/**
 * Published when the broker refused or downgraded the subscription of one or more
 * listeners: its SUBACK carried a failure reason code, or a QoS below the one requested.
 * The source is the {@code io.mqttboot.connection.MqttConnection} of the subscription.
 *
 * @author mqttboot
 */
public class MqttSubscriptionFailedEvent extends ApplicationEvent {

	private final String connectionName;

	private final String topicFilter;

	private final List<String> listenerIds;

	private final int requestedQos;

	private final @Nullable Integer grantedQos;

	private final @Nullable Integer reasonCode;

	/**
	 * Create a new event.
	 * @param source the connection ({@code io.mqttboot.connection.MqttConnection})
	 * @param connectionName the name of the connection ({@code default} for the default
	 * one)
	 * @param topicFilter the topic filter of the subscription
	 * @param listenerIds the ids of the listeners of the subscription
	 * @param requestedQos the QoS requested
	 * @param grantedQos the QoS the broker granted when it downgraded the subscription, or
	 * {@code null} when it refused it
	 * @param reasonCode the failure reason code of the SUBACK when the broker refused the
	 * subscription, or {@code null}
	 */
	public MqttSubscriptionFailedEvent(Object source, String connectionName, String topicFilter,
			List<String> listenerIds, int requestedQos, @Nullable Integer grantedQos, @Nullable Integer reasonCode) {
		super(source);
		Assert.hasText(connectionName, "'connectionName' must not be empty");
		Assert.hasText(topicFilter, "'topicFilter' must not be empty");
		Assert.notNull(listenerIds, "'listenerIds' must not be null");
		this.connectionName = connectionName;
		this.topicFilter = topicFilter;
		this.listenerIds = List.copyOf(listenerIds);
		this.requestedQos = requestedQos;
		this.grantedQos = grantedQos;
		this.reasonCode = reasonCode;
	}

	/**
	 * Return the name of the connection: {@code default}, or the name of a
	 * {@code mqtt.connections.<name>} entry.
	 * @return the connection name
	 */
	public String getConnectionName() {
		return this.connectionName;
	}

	/**
	 * Return the topic filter of the subscription, as sent in SUBSCRIBE (a shared
	 * subscription with its {@code $share/<group>/} prefix).
	 * @return the topic filter
	 */
	public String getTopicFilter() {
		return this.topicFilter;
	}

	/**
	 * Return the ids of the listeners that the subscription serves.
	 * @return the listener ids
	 */
	public List<String> getListenerIds() {
		return this.listenerIds;
	}

	/**
	 * Return the QoS the subscription requested.
	 * @return the requested QoS
	 */
	public int getRequestedQos() {
		return this.requestedQos;
	}

	/**
	 * Return the QoS the broker granted when it downgraded the subscription.
	 * @return the granted QoS, or {@code null} when the broker refused the subscription
	 */
	public @Nullable Integer getGrantedQos() {
		return this.grantedQos;
	}

	/**
	 * Return the failure reason code of the SUBACK (0x80 or above, for example
	 * {@code 0x87} not authorized) when the broker refused the subscription.
	 * @return the reason code, or {@code null}
	 */
	public @Nullable Integer getReasonCode() {
		return this.reasonCode;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[connection=" + this.connectionName + ", topicFilter="
				+ this.topicFilter + ", listenerIds=" + this.listenerIds + ", requestedQos=" + this.requestedQos
				+ ", grantedQos=" + this.grantedQos + ", reasonCode=" + this.reasonCode + "]";
	}

}
