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

import io.mqttboot.core.MqttConnectionStatus;
import io.mqttboot.core.MqttSubscriptionStatus;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.integration.mqtt.core.ClientManager;
import org.springframework.util.Assert;

/**
 * Health of the MQTT connection: UP while connected, DOWN while not. Details: server URL,
 * client id, protocol version, subscriptions the broker refused and, when down, the last
 * disconnect reason.
 *
 * @author mqttboot
 */
public class MqttHealthIndicator extends AbstractHealthIndicator {

	private final ClientManager<?, ?> clientManager;

	private final @Nullable MqttSubscriptionStatus subscriptionStatus;

	/**
	 * Create a new indicator.
	 * @param clientManager the client manager of the connection
	 */
	public MqttHealthIndicator(ClientManager<?, ?> clientManager) {
		this(clientManager, null);
	}

	/**
	 * Create a new indicator that also reports refused subscriptions.
	 * @param clientManager the client manager of the connection
	 * @param subscriptionStatus the source of refused subscriptions, or {@code null}
	 */
	public MqttHealthIndicator(ClientManager<?, ?> clientManager, @Nullable MqttSubscriptionStatus subscriptionStatus) {
		super("MQTT health check failed");
		Assert.notNull(clientManager, "'clientManager' must not be null");
		this.clientManager = clientManager;
		this.subscriptionStatus = subscriptionStatus;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		boolean connected = this.clientManager.isConnected();
		builder.status(connected ? org.springframework.boot.health.contributor.Status.UP
				: org.springframework.boot.health.contributor.Status.DOWN);
		if (this.clientManager instanceof MqttConnectionStatus status) {
			builder.withDetail("server", status.getServerUri())
				.withDetail("clientId", status.getClientId())
				.withDetail("protocolVersion", status.getProtocolVersion().value());
			if (!connected) {
				String reason = status.getLastDisconnectReason();
				builder.withDetail("lastDisconnectReason", (reason != null) ? reason : "not connected yet");
			}
		}
		else {
			builder.withDetail("server", this.clientManager.getUrl())
				.withDetail("clientId", this.clientManager.getClientId());
		}
		if (this.subscriptionStatus != null) {
			Map<String, String> failed = this.subscriptionStatus.getFailedSubscriptions();
			if (!failed.isEmpty()) {
				builder.withDetail("failedSubscriptions", failed);
			}
		}
	}

}
