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
package io.mqttboot.connection;

import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttAsyncClient;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.internal.ClientState;
import org.eclipse.paho.client.mqttv3.internal.wire.MqttPubAck;
import org.jspecify.annotations.Nullable;

import org.springframework.integration.mqtt.core.ClientManager;

/**
 * {@link MqttConnection} for the Paho MQTT 3 client (MQTT 3.1.1 and 3.1). MQTT 5
 * properties of a message are not sent; the template refuses such messages before they
 * get here.
 *
 * @author mqttboot
 */
final class Mqttv3Connection extends MqttConnection {

	private static final @Nullable Field COMMS = field(MqttAsyncClient.class, "comms");

	private static final @Nullable Field QUEUE_LOCK = field(ClientState.class, "queueLock");

	private static final @Nullable Field OUTBOUND_QOS2 = field(ClientState.class, "outboundQoS2");

	private volatile long qos2AnsweredAsQos1On = -1;

	private static final int SUBSCRIBE_FAILURE = 0x80;

	Mqttv3Connection(String name, ClientManager<?, ?> clientManager) {
		super(name, clientManager);
	}

	static boolean supports(ClientManager<?, ?> clientManager) {
		return clientManager.getConnectionInfo() instanceof MqttConnectOptions
				|| clientManager.getClient() instanceof IMqttAsyncClient;
	}

	@Override
	public MqttProtocolVersion getProtocolVersion() {
		if (getClientManager() instanceof MqttConnectionStatus status) {
			return status.getProtocolVersion();
		}
		return (getClientManager().getConnectionInfo() instanceof MqttConnectOptions options
				&& options.getMqttVersion() == MqttConnectOptions.MQTT_VERSION_3_1) ? MqttProtocolVersion.V3_1
						: MqttProtocolVersion.V3_1_1;
	}

	@Override
	public boolean isSessionPersistent() {
		return getClientManager().getConnectionInfo() instanceof MqttConnectOptions options
				&& !options.isCleanSession();
	}

	@Override
	public int getInflightLimit() {
		return (getClientManager().getConnectionInfo() instanceof MqttConnectOptions options)
				? options.getMaxInflight() : MqttConnectOptions.MAX_INFLIGHT_DEFAULT;
	}

	@Override
	public boolean supportsSubscriptionIdentifiers() {
		return false;
	}

	@Override
	boolean removeFromSession(Object token) throws MqttException {
		return client().removeMessage((org.eclipse.paho.client.mqttv3.IMqttDeliveryToken) token);
	}

	@Override
	Object doPublish(MqttOutboundMessage message, PublishCallback callback) throws MqttException {
		MqttMessage mqttMessage = new MqttMessage(message.payload());
		mqttMessage.setQos(message.qos());
		mqttMessage.setRetained(message.retain());
		return client().publish(message.topic(), mqttMessage, null, new IMqttActionListener() {

			@Override
			public void onSuccess(IMqttToken token) {
				if (mqttMessage.getQos() == 2 && token.getResponse() instanceof MqttPubAck) {
					answeredAsQos1(token.getMessageId());
				}
				callback.published();
			}

			@Override
			public void onFailure(IMqttToken token, Throwable ex) {
				publishFailed(message.topic(), ex, callback);
			}

		});
	}

	// The broker acknowledged a QoS 2 publish with a PUBACK (RabbitMQ does: it has no
	// QoS 2). Paho 1.2.5 completes the publish, but keeps it in its QoS 2 state and
	// sends it again on the next connection of a persistent session: forgotten here.
	private void answeredAsQos1(int messageId) {
		long connection = currentConnection();
		if (this.qos2AnsweredAsQos1On != connection) {
			this.qos2AnsweredAsQos1On = connection;
			this.logger.warn("The MQTT broker acknowledged a QoS 2 publish with a PUBACK (client id '" + getClientId()
					+ "'): it delivers QoS 2 messages at QoS 1, at least once");
		}
		markQos2AnsweredAsQos1();
		try {
			Object comms = Objects.requireNonNull(COMMS).get(client());
			Object state = comms.getClass().getMethod("getClientState").invoke(comms);
			Object lock = Objects.requireNonNull(QUEUE_LOCK).get(state);
			synchronized (lock) {
				((Map<?, ?>) Objects.requireNonNull(OUTBOUND_QOS2).get(state)).remove(messageId);
			}
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			this.logger.debug("Could not remove the QoS 2 state of message " + messageId + " from the Paho client: "
					+ "it may be sent again on the next connection of a persistent session", ex);
		}
	}

	private static @Nullable Field field(Class<?> type, String name) {
		try {
			Field field = type.getDeclaredField(name);
			field.setAccessible(true);
			return field;
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return null;
		}
	}

	@Override
	void doSubscribe(SubscriptionRequest request, SubscribeResult result) throws MqttException {
		client().subscribe(request.topicFilter(), request.qos(), null, new IMqttActionListener() {

			@Override
			public void onSuccess(IMqttToken token) {
				int[] granted = token.getGrantedQos();
				int qos = (granted != null && granted.length > 0) ? granted[0] : request.qos();
				if (qos == SUBSCRIBE_FAILURE) {
					result.refused("SUBACK return code 0x80 (Failure)", SUBSCRIBE_FAILURE, null);
				}
				else {
					result.granted(qos);
				}
			}

			@Override
			public void onFailure(IMqttToken token, Throwable ex) {
				result.refused(MqttFailures.summary(ex), null, ex);
			}

		});
	}

	@Override
	void doUnsubscribe(String topicFilter) throws MqttException {
		client().unsubscribe(topicFilter, null, null);
	}

	@Override
	void doAcknowledge(InboundMessage message) throws MqttException {
		// Paho v3 in manual mode sends PUBACK (QoS 1) and PUBCOMP (QoS 2, delivered after
		// PUBREL) only here.
		client().messageArrivedComplete(message.id(), message.qos());
	}

	// Paho v3 delivers QoS 2 at PUBREL and sends PUBCOMP only on messageArrivedComplete:
	// with the receipts that recognise a PUBREL sent again, exactly once. Only with the
	// starter's client manager, which reports losses and whether the session was resumed.
	@Override
	public boolean receivesQos2ExactlyOnce() {
		return isStarterClientManager();
	}

	@Override
	@Nullable InboundQos2Receipts createQos2Receipts(LongSupplier currentConnection) {
		if (!receivesQos2ExactlyOnce()) {
			return null;
		}
		InboundQos2Receipts receipts = new InboundQos2Receipts(currentConnection, this::completeQos2);
		addSessionListener(receipts::connected);
		return receipts;
	}

	private void completeQos2(int messageId) {
		try {
			client().messageArrivedComplete(messageId, 2);
		}
		catch (MqttException | RuntimeException ex) {
			// The broker sends the PUBREL again on the next connection; Paho answers it.
			this.logger.debug("Could not complete QoS 2 message " + messageId, ex);
		}
	}

	@Override
	InboundMessage toInboundMessage(String topic, Object message, long connection) {
		MqttMessage mqttMessage = (MqttMessage) message;
		return new InboundMessage(topic, mqttMessage.getPayload(), mqttMessage.getQos(), mqttMessage.isRetained(),
				mqttMessage.isDuplicate(), mqttMessage.getId(), Map.of(), List.of(), connection);
	}

	@Override
	@Nullable Integer reasonCode(Throwable failure) {
		return (failure instanceof MqttException mqttException) ? mqttException.getReasonCode() : null;
	}

	private IMqttAsyncClient client() {
		return (IMqttAsyncClient) Objects.requireNonNull(getClientManager().getClient(), "No MQTT client");
	}

}
