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

import java.time.Duration;
import java.util.Map;

import io.mqttboot.connection.MqttConnection;
import io.mqttboot.connection.ReconnectSettings;
import io.mqttboot.connection.ReconnectingMqttv5ClientManager;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link MqttHealthIndicator} on a connection that has not connected. The UP
 * and DOWN transitions against real brokers are covered by the connection integration
 * tests.
 *
 * @author mqttboot
 */
class MqttHealthIndicatorTests {

	@Test
	void downBeforeTheFirstConnectionWithDetails() {
		Health health = new MqttHealthIndicator(connection()).health(true);
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("server", "mqtt://127.0.0.1:1")
			.containsEntry("clientId", "health-test")
			.containsEntry("protocolVersion", "5")
			.containsEntry("lastDisconnectReason", "not connected yet");
	}

	@Test
	void refusedSubscriptionsAreDetails() {
		Health health = new MqttHealthIndicator(connection(), () -> Map.of("secret/#", "Not authorized (0x87)"))
			.health(true);
		assertThat(health.getDetails()).containsEntry("failedSubscriptions",
				Map.of("secret/#", "Not authorized (0x87)"));
	}

	@Test
	void noRefusedSubscriptionsNoDetail() {
		Health health = new MqttHealthIndicator(connection(), Map::of).health(true);
		assertThat(health.getDetails()).doesNotContainKey("failedSubscriptions");
	}

	@Test
	void clientManagerIsRequired() {
		assertThatIllegalArgumentException().isThrownBy(() -> new MqttHealthIndicator(null))
			.withMessage("'connection' must not be null");
	}

	private static MqttConnection connection() {
		MqttConnectionOptions options = new MqttConnectionOptions();
		options.setServerURIs(new String[] { "tcp://127.0.0.1:1" });
		return MqttConnection.of(MqttConnection.DEFAULT_NAME,
				new ReconnectingMqttv5ClientManager(options, "health-test", new MemoryPersistence(), new ReconnectSettings(
						true, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1))));
	}

}
