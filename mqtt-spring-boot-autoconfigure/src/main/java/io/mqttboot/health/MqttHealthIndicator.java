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
package io.mqttboot.health;

import java.util.Map;

import io.mqttboot.connection.BrokerLimits;
import io.mqttboot.connection.MqttConnection;
import io.mqttboot.connection.MqttSubscriptionStatus;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.util.Assert;

/**
 * Health of one MQTT connection: UP while connected, DOWN while not, and also while a
 * takeover loop with another client of the same client id is suspected, in the moments
 * the connection is up. Details: server URL, client id, protocol version, the limits an MQTT
 * 5 broker announced ({@code broker}), subscriptions the broker refused or downgraded
 * and, when down, the last disconnect reason.
 *
 * @author mqttboot
 */
public class MqttHealthIndicator extends AbstractHealthIndicator {

	private final MqttConnection connection;

	private final @Nullable MqttSubscriptionStatus subscriptionStatus;

	/**
	 * Create a new indicator.
	 * @param connection the connection
	 */
	public MqttHealthIndicator(MqttConnection connection) {
		this(connection, null);
	}

	/**
	 * Create a new indicator that also reports refused subscriptions.
	 * @param connection the connection
	 * @param subscriptionStatus the source of refused subscriptions, or {@code null}
	 */
	public MqttHealthIndicator(MqttConnection connection, @Nullable MqttSubscriptionStatus subscriptionStatus) {
		super("MQTT health check failed");
		Assert.notNull(connection, "'connection' must not be null");
		this.connection = connection;
		this.subscriptionStatus = subscriptionStatus;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		MqttConnection connection = this.connection;
		String takeover = connection.getSuspectedTakeover();
		boolean connected = connection.isConnected() && takeover == null;
		builder.status(connected ? Status.UP : Status.DOWN)
			.withDetail("server", connection.getServerUri())
			.withDetail("clientId", connection.getClientId());
		if (connection.isManagedByStarter()) {
			builder.withDetail("protocolVersion", connection.getProtocolVersion().value());
			if (connection.isQos2AnsweredAsQos1()) {
				builder.withDetail("qos2", "answered as QoS 1 by the broker");
			}
			BrokerLimits limits = connection.getBrokerLimits();
			if (limits.isAnnounced()) {
				builder.withDetail("broker", limits.toMap());
			}
			if (!connected) {
				String reason = (takeover != null) ? takeover : connection.getLastDisconnectReason();
				builder.withDetail("lastDisconnectReason", (reason != null) ? reason : "not connected yet");
			}
		}
		if (this.subscriptionStatus != null) {
			Map<String, String> failed = this.subscriptionStatus.getFailedSubscriptions();
			if (!failed.isEmpty()) {
				builder.withDetail("failedSubscriptions", failed);
			}
		}
	}

}
