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
import java.util.Map;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttAsyncClient;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.jspecify.annotations.Nullable;

import org.springframework.integration.mqtt.core.ClientManager;

/**
 * {@link ListenerClient} for Paho v3 (MQTT 3.1.1 and 3.1).
 *
 * @author mqttboot
 */
final class Mqttv3ListenerClient extends ListenerClient {

	private static final int SUBSCRIBE_FAILURE = 0x80;

	private final ClientManager<IMqttAsyncClient, MqttConnectOptions> clientManager;

	private final ClientManager.DefaultMessageHandler<MqttMessage> handler = this::messageArrived;

	@SuppressWarnings("unchecked")
	Mqttv3ListenerClient(ClientManager<?, ?> clientManager) {
		super(clientManager);
		this.clientManager = (ClientManager<IMqttAsyncClient, MqttConnectOptions>) clientManager;
	}

	static boolean supports(Object connectionInfo) {
		return connectionInfo instanceof MqttConnectOptions;
	}

	@Override
	boolean isV5() {
		return false;
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
			deliver(new InboundMessage(topic, message.getPayload(), message.getQos(), message.isRetained(),
					message.isDuplicate(), message.getId(), Map.of(), List.of(), connection));
		}
		catch (Throwable ex) {
			// Never let an exception reach Paho: it would drop the connection (paho#549).
			this.logger.error("Could not dispatch an MQTT message from topic '" + topic + "'", ex);
		}
	}

	@Override
	boolean supportsSubscriptionIdentifiers() {
		return false;
	}

	@Override
	void subscribe(ListenerSubscription subscription, @Nullable Integer subscriptionId, SubscribeResult result) {
		IMqttAsyncClient client = this.clientManager.getClient();
		if (client == null || !client.isConnected()) {
			return;
		}
		try {
			client.subscribe(subscription.getTopicFilter(), subscription.getQos(), null, new IMqttActionListener() {

				@Override
				public void onSuccess(IMqttToken token) {
					int[] granted = token.getGrantedQos();
					int qos = (granted != null && granted.length > 0) ? granted[0] : subscription.getQos();
					if (qos == SUBSCRIBE_FAILURE) {
						result.refused("SUBACK return code 0x80 (Failure)");
					}
					else {
						result.granted(qos);
					}
				}

				@Override
				public void onFailure(IMqttToken token, Throwable ex) {
					result.refused(describe(ex));
				}

			});
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
		// Paho v3 in manual mode sends PUBACK (QoS 1) and PUBCOMP (QoS 2, delivered after
		// PUBREL) only here.
		IMqttAsyncClient client = this.clientManager.getClient();
		if (client != null) {
			client.messageArrivedComplete(message.id(), message.qos());
		}
	}

	private static String describe(Throwable ex) {
		return ex.getClass().getSimpleName() + ((ex.getMessage() != null) ? ": " + ex.getMessage() : "");
	}

}
