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

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.mqttboot.core.MqttTemplate;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.integration.mqtt.support.MqttHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

/**
 * Publishes the return value of a listener: to the MQTT 5 response topic of the request,
 * with its correlation data, or else to the {@code @SendTo} topic, in which
 * {@code {name}} levels are replaced by the topic variables of the request. The reply
 * goes out on the listener's connection.
 *
 * @author mqttboot
 */
final class ReplySender {

	private static final Log logger = LogFactory.getLog(MqttListenerEndpointRegistry.class);

	private final Function<String, ? extends @Nullable MqttTemplate> templates;

	private final Set<String> warned = ConcurrentHashMap.newKeySet();

	/**
	 * Create a sender.
	 * @param templates the template of each connection, by connection name
	 */
	ReplySender(Function<String, ? extends @Nullable MqttTemplate> templates) {
		this.templates = templates;
	}

	/**
	 * Publish a reply, without waiting for its acknowledgement.
	 * @param endpoint the listener
	 * @param request the inbound message
	 * @param result the return value: a {@link Message} or a payload
	 * @param variables the topic variables of the request
	 */
	void send(MqttListenerEndpoint endpoint, Message<byte[]> request, Object result, Map<String, String> variables) {
		String responseTopic = request.getHeaders().get(MqttHeaders.RESPONSE_TOPIC, String.class);
		String topic = (responseTopic != null) ? responseTopic
				: (endpoint.sendTo() != null) ? expand(endpoint.sendTo(), variables) : null;
		if (topic == null) {
			if (this.warned.add(endpoint.id())) {
				logger.warn("MQTT listener '" + endpoint.id() + "' returned a value but the request has no response "
						+ "topic and the method no @SendTo: the value is dropped (logged once per listener)");
			}
			return;
		}
		MqttTemplate template = this.templates.apply(endpoint.connection());
		if (template == null) {
			logger.warn("MQTT listener '" + endpoint.id() + "' returned a value but there is no MqttTemplate on its "
					+ "connection '" + endpoint.connection() + "' to publish it to '" + topic + "'");
			return;
		}
		MessageBuilder<?> reply = (result instanceof Message<?> message) ? MessageBuilder.fromMessage(message)
				: MessageBuilder.withPayload(result);
		reply.setHeaderIfAbsent(MqttHeaders.TOPIC, topic);
		Object correlationData = request.getHeaders().get(MqttHeaders.CORRELATION_DATA);
		if (correlationData != null) {
			reply.setHeaderIfAbsent(MqttHeaders.CORRELATION_DATA, correlationData);
		}
		try {
			template.send(reply.build()).whenComplete((ignored, ex) -> {
				if (ex != null) {
					logger.warn("Could not publish the reply of MQTT listener '" + endpoint.id() + "' to '" + topic
							+ "': " + ex.getMessage());
				}
			});
		}
		catch (RuntimeException ex) {
			logger.warn("Could not publish the reply of MQTT listener '" + endpoint.id() + "' to '" + topic + "': "
					+ ex.getMessage());
		}
	}

	private static String expand(String topic, Map<String, String> variables) {
		String expanded = topic;
		for (Map.Entry<String, String> variable : variables.entrySet()) {
			expanded = expanded.replace("{" + variable.getKey() + "}", variable.getValue());
		}
		return expanded;
	}

}
