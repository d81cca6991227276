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

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.mqttboot.core.ReconnectingMqttv5ClientManager;
import org.eclipse.paho.mqttv5.client.IMqttAsyncClient;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.jspecify.annotations.Nullable;

import org.springframework.integration.mqtt.core.ClientManager;
import org.springframework.integration.mqtt.support.MqttHeaderMapper;
import org.springframework.messaging.MessageHeaders;

/**
 * {@link ListenerClient} for Paho v5.
 *
 * @author mqttboot
 */
final class Mqttv5ListenerClient extends ListenerClient {

	// Paho 1.2.5 has no public accessor for what the server announced in CONNACK.
	private final ClientManager<IMqttAsyncClient, MqttConnectionOptions> clientManager;

	private final MqttHeaderMapper headerMapper = new MqttHeaderMapper();

	private final ClientManager.DefaultMessageHandler<MqttMessage> handler = this::messageArrived;

	@SuppressWarnings("unchecked")
	Mqttv5ListenerClient(ClientManager<?, ?> clientManager) {
		super(clientManager);
		this.clientManager = (ClientManager<IMqttAsyncClient, MqttConnectionOptions>) clientManager;
	}

	static boolean supports(Object connectionInfo) {
		return connectionInfo instanceof MqttConnectionOptions;
	}

	@Override
	boolean isV5() {
		return true;
	}

	@Override
	protected void addDefaultMessageHandler() {
		this.clientManager.addDefaultMessageHandler(this.handler);
	}

	@Override
	protected void removeDefaultMessageHandler() {
		this.clientManager.removeDefaultMessageHandler(this.handler);
	}

	private void messageArrived(String topic, MqttMessage message) {
		long connection = currentConnection();
		try {
			MqttProperties properties = message.getProperties();
			Map<String, Object> headers = (properties != null) ? toHeaders(properties) : Map.of();
			List<Integer> subscriptionIds = (properties != null) ? properties.getSubscriptionIdentifiers()
					: List.of();
			deliver(new InboundMessage(topic, message.getPayload(), message.getQos(), message.isRetained(),
					message.isDuplicate(), message.getId(), headers, List.copyOf(subscriptionIds), connection));
		}
		catch (Throwable ex) {
			// Never let an exception reach Paho: it would drop the connection.
			this.logger.error("Could not dispatch an MQTT message from topic '" + topic + "'", ex);
		}
	}

	private Map<String, Object> toHeaders(MqttProperties properties) {
		Map<String, Object> headers = new HashMap<>(this.headerMapper.toHeaders(properties));
		if (properties.getContentType() != null) {
			headers.putIfAbsent(MessageHeaders.CONTENT_TYPE, properties.getContentType());
		}
		return headers;
	}

	@Override
	boolean supportsSubscriptionIdentifiers() {
		// Only the starter's manager tells what the server sent in CONNACK; with another
		// manager, routing falls back to topic matching.
		return this.clientManager instanceof ReconnectingMqttv5ClientManager manager
				&& manager.isSubscriptionIdentifiersAvailable();
	}

	@Override
	void subscribe(ListenerSubscription subscription, @Nullable Integer subscriptionId, SubscribeResult result) {
		IMqttAsyncClient client = this.clientManager.getClient();
		if (client == null || !client.isConnected()) {
			return;
		}
		MqttSubscription mqttSubscription = new MqttSubscription(subscription.getTopicFilter(),
				subscription.getQos());
		mqttSubscription.setNoLocal(subscription.isNoLocal());
		mqttSubscription.setRetainAsPublished(subscription.isRetainAsPublished());
		mqttSubscription.setRetainHandling(subscription.getRetainHandling());
		MqttProperties properties = new MqttProperties();
		if (subscriptionId != null) {
			properties.setSubscriptionIdentifier(subscriptionId);
		}
		try {
			// The 4-argument subscribe registers no per-subscription listener: every
			// message goes to the default handler (Paho traps: paho#826, paho#827).
			client.subscribe(new MqttSubscription[] { mqttSubscription }, null, new MqttActionListener() {

				@Override
				public void onSuccess(IMqttToken token) {
					int[] codes = token.getReasonCodes();
					int code = (codes != null && codes.length > 0) ? codes[0] : subscription.getQos();
					if (code >= 0x80) {
						result.refused("SUBACK reason code 0x" + Integer.toHexString(code) + " (" + reason(code) + ")");
					}
					else {
						result.granted(code);
					}
				}

				@Override
				public void onFailure(IMqttToken token, Throwable ex) {
					result.refused(describe(ex));
				}

			}, properties);
		}
		catch (Exception ex) {
			result.refused(describe(ex));
		}
	}

	@Override
	void unsubscribe(String topicFilter) {
		IMqttAsyncClient client = this.clientManager.getClient();
		if (client == null || !client.isConnected()) {
			return;
		}
		try {
			client.unsubscribe(topicFilter, null, null);
		}
		catch (Exception ex) {
			this.logger.debug("Could not unsubscribe from '" + topicFilter + "'", ex);
		}
	}

	@Override
	protected void doAcknowledge(InboundMessage message) throws Exception {
		// Paho 1.2.5 v5 sends PUBREC for QoS 2 on arrival and PUBCOMP on PUBREL even with
		// manual acks; completing it by hand would send a second PUBCOMP (paho#994,
		// paho#1054).
		if (message.qos() == 1) {
			IMqttAsyncClient client = this.clientManager.getClient();
			if (client != null) {
				client.messageArrivedComplete(message.id(), message.qos());
			}
		}
	}

	private static String describe(Throwable ex) {
		return ex.getClass().getSimpleName() + ((ex.getMessage() != null) ? ": " + ex.getMessage() : "");
	}

	static String reason(int code) {
		return switch (code) {
			case 0x80 -> "Unspecified error";
			case 0x83 -> "Implementation specific error";
			case 0x87 -> "Not authorized";
			case 0x8F -> "Topic Filter invalid";
			case 0x91 -> "Packet Identifier in use";
			case 0x97 -> "Quota exceeded";
			case 0x9E -> "Shared Subscriptions not supported";
			case 0xA1 -> "Subscription Identifiers not supported";
			case 0xA2 -> "Wildcard Subscriptions not supported";
			default -> "refused";
		};
	}

}
