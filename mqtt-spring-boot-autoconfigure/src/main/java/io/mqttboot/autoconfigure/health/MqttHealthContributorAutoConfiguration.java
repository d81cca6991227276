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
package io.mqttboot.autoconfigure.health;

import java.util.LinkedHashMap;
import java.util.Map;

import io.mqttboot.autoconfigure.MqttAutoConfiguration;
import io.mqttboot.connection.MqttConnection;
import io.mqttboot.connection.MqttConnections;
import io.mqttboot.connection.MqttSubscriptionStatus;
import io.mqttboot.health.MqttHealthIndicator;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.integration.mqtt.core.ClientManager;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the {@code mqtt} health contributor
 * ({@code management.health.mqtt.enabled}): a {@link MqttHealthIndicator} of the default
 * connection or, with named connections ({@code mqtt.connections.<name>.*}), a composite
 * with one component per connection ({@code mqtt/default}, {@code mqtt/<name>}), as
 * Spring Boot does for several data sources. It backs off for a bean named
 * {@code mqttHealthIndicator} or {@code mqttHealthContributor}, as Spring Boot's own
 * contributors do, and for a {@link MqttHealthIndicator} of any name.
 *
 * @author mqttboot
 */
@AutoConfiguration(after = MqttAutoConfiguration.class)
@ConditionalOnClass({ ClientManager.class, HealthContributor.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnSingleCandidate(MqttConnection.class)
@ConditionalOnEnabledHealthIndicator("mqtt")
public final class MqttHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(value = MqttHealthIndicator.class, name = { "mqttHealthIndicator", "mqttHealthContributor" })
	HealthContributor mqttHealthContributor(MqttConnection connection, ObjectProvider<MqttConnections> connections,
			ObjectProvider<MqttSubscriptionStatus> subscriptionStatus) {
		MqttSubscriptionStatus status = subscriptionStatus.getIfUnique();
		MqttHealthIndicator defaultIndicator = indicator(connection, status);
		Map<String, HealthContributor> indicators = new LinkedHashMap<>();
		indicators.put(connection.getName(), defaultIndicator);
		connections.ifAvailable((all) -> all.getAll()
			.stream()
			.filter((other) -> other != connection)
			.forEach((other) -> indicators.put(other.getName(), indicator(other, status))));
		return (indicators.size() == 1) ? defaultIndicator : CompositeHealthContributor.fromMap(indicators);
	}

	private static MqttHealthIndicator indicator(MqttConnection connection, @Nullable MqttSubscriptionStatus status) {
		return new MqttHealthIndicator(connection,
				(status != null) ? () -> status.getFailedSubscriptions(connection.getName()) : null);
	}

}
