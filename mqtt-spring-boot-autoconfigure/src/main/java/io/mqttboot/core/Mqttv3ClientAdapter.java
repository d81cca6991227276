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

import java.util.concurrent.CompletableFuture;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttAsyncClient;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.jspecify.annotations.Nullable;

import org.springframework.integration.mqtt.core.ClientManager;

/**
 * {@link MqttClientAdapter} for the Paho MQTT 3 client (MQTT 3.1.1 and 3.1). MQTT 5
 * properties of a message are not sent; the {@link MqttTemplate} refuses such messages
 * before they get here.
 *
 * @author mqttboot
 */
final class Mqttv3ClientAdapter implements MqttClientAdapter {

	private static final int SUBSCRIPTION_FAILURE = 0x80;

	private final ClientManager<?, ?> clientManager;

	Mqttv3ClientAdapter(ClientManager<?, ?> clientManager) {
		this.clientManager = clientManager;
	}

	static boolean supports(ClientManager<?, ?> clientManager) {
		return clientManager.getConnectionInfo() instanceof MqttConnectOptions
				|| clientManager.getClient() instanceof IMqttAsyncClient;
	}

	@Override
	public ClientManager<?, ?> getClientManager() {
		return this.clientManager;
	}

	@Override
	public MqttProtocolVersion getProtocolVersion() {
		if (this.clientManager instanceof MqttConnectionStatus status) {
			return status.getProtocolVersion();
		}
		return (this.clientManager.getConnectionInfo() instanceof MqttConnectOptions options
				&& options.getMqttVersion() == MqttConnectOptions.MQTT_VERSION_3_1) ? MqttProtocolVersion.V3_1
						: MqttProtocolVersion.V3_1_1;
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
		return (this.clientManager.getConnectionInfo() instanceof MqttConnectOptions options)
				? options.getMaxInflight() : MqttConnectOptions.MAX_INFLIGHT_DEFAULT;
	}

	@Override
	public CompletableFuture<Void> publish(MqttOutboundMessage message) {
		CompletableFuture<Void> result = new CompletableFuture<>();
		IMqttAsyncClient client = client();
		if (client == null) {
			result.completeExceptionally(notConnected());
			return result;
		}
		MqttMessage mqttMessage = new MqttMessage(message.payload());
		mqttMessage.setQos(message.qos());
		mqttMessage.setRetained(message.retain());
		try {
			client.publish(message.topic(), mqttMessage, null, new IMqttActionListener() {

				@Override
				public void onSuccess(IMqttToken token) {
					result.complete(null);
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
			client.subscribe(topicFilter, qos, null, new IMqttActionListener() {

				@Override
				public void onSuccess(IMqttToken token) {
					int[] granted = token.getGrantedQos();
					int grantedQos = (granted != null && granted.length > 0) ? granted[0] : qos;
					if (grantedQos >= SUBSCRIPTION_FAILURE) {
						result.completeExceptionally(new IllegalStateException(
								"The broker refused the subscription to '" + topicFilter + "'"));
					}
					else {
						result.complete(grantedQos);
					}
				}

				@Override
				public void onFailure(IMqttToken token, Throwable ex) {
					result.completeExceptionally(ex);
				}

			});
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

	private static MqttPublishException failure(String topic, Throwable ex) {
		int reasonCode = (ex instanceof MqttException mqttException) ? mqttException.getReasonCode()
				: MqttPublishException.NO_REASON_CODE;
		return new MqttPublishException(
				"Publish to '" + topic + "' failed: " + ReconnectingMqttv3ClientManager.describe(ex), reasonCode, ex);
	}

}
