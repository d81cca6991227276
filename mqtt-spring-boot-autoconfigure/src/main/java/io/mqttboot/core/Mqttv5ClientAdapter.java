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
package io.mqttboot.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.eclipse.paho.mqttv5.client.IMqttAsyncClient;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.jspecify.annotations.Nullable;

import org.springframework.integration.mqtt.core.ClientManager;

/**
 * {@link MqttClientAdapter} for the Paho MQTT 5 client.
 *
 * @author mqttboot
 */
final class Mqttv5ClientAdapter implements MqttClientAdapter {

	private static final int DEFAULT_RECEIVE_MAXIMUM = 65535;

	private final ClientManager<?, ?> clientManager;

	Mqttv5ClientAdapter(ClientManager<?, ?> clientManager) {
		this.clientManager = clientManager;
	}

	static boolean supports(ClientManager<?, ?> clientManager) {
		return clientManager.getConnectionInfo() instanceof MqttConnectionOptions
				|| clientManager.getClient() instanceof IMqttAsyncClient;
	}

	@Override
	public ClientManager<?, ?> getClientManager() {
		return this.clientManager;
	}

	@Override
	public MqttProtocolVersion getProtocolVersion() {
		return MqttProtocolVersion.V5;
	}

	@Override
	public String getClientId() {
		return this.clientManager.getClientId();
	}

	@Override
	public boolean isConnected() {
		IMqttAsyncClient client = client();
		return client != null && client.isConnected();
	}

	@Override
	public @Nullable String getLastDisconnectReason() {
		return (this.clientManager instanceof MqttConnectionStatus status) ? status.getLastDisconnectReason() : null;
	}

	@Override
	public int getInflightLimit() {
		if (this.clientManager instanceof ReconnectingMqttv5ClientManager manager) {
			return manager.getServerReceiveMaximum();
		}
		return DEFAULT_RECEIVE_MAXIMUM;
	}

	@Override
	public CompletableFuture<Void> publish(MqttOutboundMessage message) {
		CompletableFuture<Void> result = new CompletableFuture<>();
		IMqttAsyncClient client = client();
		if (client == null) {
			result.completeExceptionally(notConnected());
			return result;
		}
		MqttMessage mqttMessage = new MqttMessage(message.payload(), message.qos(), message.retain(),
				properties(message));
		try {
			client.publish(message.topic(), mqttMessage, null, new MqttActionListener() {

				@Override
				public void onSuccess(IMqttToken token) {
					int reasonCode = firstReasonCode(token);
					if (reasonCode >= 0x80) {
						result.completeExceptionally(new MqttPublishException("The broker rejected the publish to '"
								+ message.topic() + "' with reason code 0x" + Integer.toHexString(reasonCode),
								reasonCode, null));
					}
					else {
						result.complete(null);
					}
				}

				@Override
				public void onFailure(IMqttToken token, Throwable ex) {
					result.completeExceptionally(failure(message.topic(), ex));
				}

			});
		}
		catch (MqttException | RuntimeException ex) {
			result.completeExceptionally(failure(message.topic(), ex));
		}
		return result;
	}

	@Override
	public CompletableFuture<Integer> subscribe(String topicFilter, int qos) {
		CompletableFuture<Integer> result = new CompletableFuture<>();
		IMqttAsyncClient client = client();
		if (client == null) {
			result.completeExceptionally(notConnected());
			return result;
		}
		try {
			client.subscribe(new MqttSubscription[] { new MqttSubscription(topicFilter, qos) }, null,
					new MqttActionListener() {

						@Override
						public void onSuccess(IMqttToken token) {
							int reasonCode = firstReasonCode(token);
							if (reasonCode >= 0x80) {
								result.completeExceptionally(new IllegalStateException("The broker refused the "
										+ "subscription to '" + topicFilter + "' with reason code 0x"
										+ Integer.toHexString(reasonCode)));
							}
							else {
								result.complete(Math.max(reasonCode, 0));
							}
						}

						@Override
						public void onFailure(IMqttToken token, Throwable ex) {
							result.completeExceptionally(ex);
						}

					}, new MqttProperties());
		}
		catch (MqttException | RuntimeException ex) {
			result.completeExceptionally(ex);
		}
		return result;
	}

	@Override
	public void acknowledge(int messageId, int qos) {
		IMqttAsyncClient client = client();
		if (client == null || qos == 0 || !this.clientManager.isManualAcks()) {
			return;
		}
		try {
			client.messageArrivedComplete(messageId, qos);
		}
		catch (MqttException ex) {
			// The connection is gone; the broker sends the message again
		}
	}

	private @Nullable IMqttAsyncClient client() {
		return (IMqttAsyncClient) this.clientManager.getClient();
	}

	private MqttPublishException notConnected() {
		return new MqttPublishException("Not connected to the MQTT broker (client id '" + getClientId() + "')",
				NOT_CONNECTED, null);
	}

	private static int firstReasonCode(IMqttToken token) {
		int[] codes = token.getReasonCodes();
		return (codes != null && codes.length > 0) ? codes[0] : 0;
	}

	private static MqttPublishException failure(String topic, Throwable ex) {
		int reasonCode = (ex instanceof MqttException mqttException) ? mqttException.getReasonCode()
				: MqttPublishException.NO_REASON_CODE;
		return new MqttPublishException(
				"Publish to '" + topic + "' failed: " + ReconnectingMqttv5ClientManager.describe(ex), reasonCode, ex);
	}

	private static MqttProperties properties(MqttOutboundMessage message) {
		MqttProperties properties = new MqttProperties();
		if (message.messageExpiryInterval() != null) {
			properties.setMessageExpiryInterval(message.messageExpiryInterval());
		}
		if (message.contentType() != null) {
			properties.setContentType(message.contentType());
		}
		if (message.payloadFormatUtf8()) {
			properties.setPayloadFormat(true);
		}
		if (message.responseTopic() != null) {
			properties.setResponseTopic(message.responseTopic());
		}
		if (message.correlationData() != null) {
			properties.setCorrelationData(message.correlationData());
		}
		if (!message.userProperties().isEmpty()) {
			List<UserProperty> userProperties = new ArrayList<>();
			for (Map.Entry<String, String> entry : message.userProperties().entrySet()) {
				userProperties.add(new UserProperty(entry.getKey(), entry.getValue()));
			}
			properties.setUserProperties(userProperties);
		}
		return properties;
	}

}
