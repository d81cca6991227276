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

import org.jspecify.annotations.Nullable;

/**
 * What one {@link MqttListener @MqttListener} subscribes to, as resolved at startup.
 *
 * @param id the listener id
 * @param connection the name of its connection
 * @param topicFilters its topic filters as subscribed: shared-subscription prefix
 * included, {@code +} in place of topic variables
 * @param qos the QoS it requests
 * @param group its share group, or {@code null} when it does not use a shared
 * subscription with a group
 * @param concurrency the most messages it handles at once
 * @author mqttboot
 * @see MqttListenerEndpointRegistry#getDescription(String)
 */
public record MqttListenerDescription(String id, String connection, List<String> topicFilters, int qos,
		@Nullable String group, int concurrency) {

	/**
	 * Create a description.
	 * @param id the listener id
	 * @param connection the name of its connection
	 * @param topicFilters its topic filters as subscribed
	 * @param qos the QoS it requests
	 * @param group its share group, or {@code null}
	 * @param concurrency the most messages it handles at once
	 */
	public MqttListenerDescription {
		topicFilters = List.copyOf(topicFilters);
	}

	static MqttListenerDescription of(ListenerContainer container) {
		MqttListenerEndpoint endpoint = container.getEndpoint();
		List<String> filters = endpoint.topics().stream().map(TopicFilter::getSubscription).toList();
		String group = endpoint.topics()
			.stream()
			.map(TopicFilter::getShareGroup)
			.filter((shareGroup) -> shareGroup != null)
			.distinct()
			.reduce((first, second) -> first + "," + second)
			.orElse(null);
		return new MqttListenerDescription(endpoint.id(), endpoint.connection(), filters, endpoint.qos(), group,
				container.getConcurrency());
	}

}
