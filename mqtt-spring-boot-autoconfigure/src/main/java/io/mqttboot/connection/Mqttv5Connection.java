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

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.eclipse.paho.mqttv5.client.IMqttAsyncClient;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.MqttPublish;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.jspecify.annotations.Nullable;

import org.springframework.integration.mqtt.core.ClientManager;
import org.springframework.integration.mqtt.support.MqttHeaderMapper;
import org.springframework.integration.mqtt.support.MqttHeaders;
import org.springframework.messaging.MessageHeaders;

/**
 * {@link MqttConnection} for the Paho MQTT 5 client.
 *
 * @author mqttboot
 */
final class Mqttv5Connection extends MqttConnection {

	private static final int DEFAULT_RECEIVE_MAXIMUM = 65535;

	private final MqttHeaderMapper headerMapper = new MqttHeaderMapper();

	// One listener for every publish: the publish travels in the token's user context.
	private final MqttActionListener publishListener = new MqttActionListener() {

		@Override
		public void onSuccess(IMqttToken token) {
			Publish publish = (Publish) token.getUserContext();
			int reasonCode = firstReasonCode(token, 0);
			if (reasonCode >= 0x80) {
				publish.callback()
					.failed("The broker rejected the publish to '" + publish.topic() + "' with reason code 0x"
							+ Integer.toHexString(reasonCode), reasonCode, null);
			}
			else {
				publish.callback().published();
			}
		}

		@Override
		public void onFailure(IMqttToken token, Throwable ex) {
			Publish publish = (Publish) token.getUserContext();
			publishFailed(publish.topic(), ex, publish.callback());
		}

	};

	Mqttv5Connection(String name, ClientManager<?, ?> clientManager) {
		super(name, clientManager);
	}

	static boolean supports(ClientManager<?, ?> clientManager) {
		return clientManager.getConnectionInfo() instanceof MqttConnectionOptions
				|| clientManager.getClient() instanceof IMqttAsyncClient;
	}

	@Override
	public MqttProtocolVersion getProtocolVersion() {
		return MqttProtocolVersion.V5;
	}

	@Override
	public int getInflightLimit() {
		if (getClientManager() instanceof ReconnectingMqttv5ClientManager manager) {
			return manager.getServerReceiveMaximum();
		}
		return DEFAULT_RECEIVE_MAXIMUM;
	}

	@Override
	public boolean isSessionPersistent() {
		return getClientManager().getConnectionInfo() instanceof MqttConnectionOptions options
				&& !options.isCleanStart();
	}

	@Override
	public boolean supportsSubscriptionIdentifiers() {
		// Paho 1.2.5 has no public accessor for what the server announced in CONNACK:
		// only the starter's manager tells.
		return getClientManager() instanceof ReconnectingMqttv5ClientManager manager
				&& manager.isSubscriptionIdentifiersAvailable();
	}

	@Override
	void checkLimits(MqttOutboundMessage message) {
		BrokerLimits limits = getBrokerLimits();
		if (limits.isAnnounced()) {
			limits.checkPublish(message.topic(), message.qos(), message.retain(),
					(limits.getMaximumPacketSize() != null) ? packetSize(message) : 0);
		}
	}

	/**
	 * Return the size of the PUBLISH packet of a message as Paho encodes it: fixed
	 * header, topic, packet identifier, properties and payload (the starter gives no
	 * topic aliases, see {@link OutgoingTopicAliases}).
	 * @param message the message
	 * @return the size in bytes
	 */
	static long packetSize(MqttOutboundMessage message) {
		MqttProperties properties = properties(message);
		MqttMessage mqttMessage = new MqttMessage(message.payload(), message.qos(), message.retain(), properties);
		MqttPublish publish = new MqttPublish(message.topic(), mqttMessage, properties);
		try {
			return (long) publish.getHeader().length + message.payload().length;
		}
		catch (MqttException ex) {
			throw new IllegalArgumentException("The message to '" + message.topic() + "' cannot be encoded: " + ex,
					ex);
		}
	}

	@Override
	Object doPublish(MqttOutboundMessage message, PublishCallback callback) throws MqttException {
		MqttMessage mqttMessage = new MqttMessage(message.payload(), message.qos(), message.retain(),
				properties(message));
		return client().publish(message.topic(), mqttMessage, new Publish(message.topic(), callback),
				this.publishListener);
	}

	@Override
	boolean removeFromSession(Object token) {
		// Paho 1.2.5's MQTT 5 client has no API for it
		return false;
	}

	@Override
	void doSubscribe(SubscriptionRequest request, SubscribeResult result) throws MqttException {
		MqttSubscription subscription = new MqttSubscription(request.topicFilter(), request.qos());
		subscription.setNoLocal(request.noLocal());
		subscription.setRetainAsPublished(request.retainAsPublished());
		subscription.setRetainHandling(request.retainHandling());
		MqttProperties properties = new MqttProperties();
		if (request.subscriptionId() != null) {
			properties.setSubscriptionIdentifier(request.subscriptionId());
		}
		// The 4-argument subscribe registers no per-subscription listener.
		client().subscribe(new MqttSubscription[] { subscription }, null, new MqttActionListener() {

			@Override
			public void onSuccess(IMqttToken token) {
				int code = firstReasonCode(token, request.qos());
				if (code >= 0x80) {
					result.refused("SUBACK reason code 0x" + Integer.toHexString(code) + " ("
							+ MqttFailures.subscribeReason(code) + ")", code, null);
				}
				else {
					result.granted(code);
				}
			}

			@Override
			public void onFailure(IMqttToken token, Throwable ex) {
				result.refused(MqttFailures.summary(ex), null, ex);
			}

		}, properties);
	}

	@Override
	void doUnsubscribe(String topicFilter) throws MqttException {
		client().unsubscribe(topicFilter, null, null);
	}

	@Override
	void doAcknowledge(InboundMessage message) throws MqttException {
		// Paho 1.2.5 v5 sends PUBREC for QoS 2 on arrival and PUBCOMP on PUBREL even with
		// manual acks; completing it by hand would send a second PUBCOMP (paho#994,
		// paho#1054).
		if (message.qos() == 1) {
			client().messageArrivedComplete(message.id(), message.qos());
		}
	}

	@Override
	InboundMessage toInboundMessage(String topic, Object message, long connection) {
		MqttMessage mqttMessage = (MqttMessage) message;
		MqttProperties properties = mqttMessage.getProperties();
		Map<String, Object> headers = (properties != null && hasHeaders(properties)) ? headers(properties) : Map.of();
		List<Integer> subscriptionIds = (properties != null) ? properties.getSubscriptionIdentifiers() : List.of();
		return new InboundMessage(topic, mqttMessage.getPayload(), mqttMessage.getQos(), mqttMessage.isRetained(),
				mqttMessage.isDuplicate(), mqttMessage.getId(), headers, List.copyOf(subscriptionIds), connection);
	}

	// Most messages carry no property but subscription identifiers: skip the mapping on
	// Paho's callback thread then.
	private static boolean hasHeaders(MqttProperties properties) {
		return properties.getPayloadFormat() || properties.getContentType() != null
				|| properties.getMessageExpiryInterval() != null || properties.getResponseTopic() != null
				|| properties.getCorrelationData() != null || properties.getTopicAlias() != null
				|| !properties.getUserProperties().isEmpty();
	}

	private Map<String, Object> headers(MqttProperties properties) {
		Map<String, Object> headers = new HashMap<>(this.headerMapper.toHeaders(properties));
		if (properties.getContentType() != null) {
			headers.putIfAbsent(MessageHeaders.CONTENT_TYPE, properties.getContentType());
		}
		if (properties.getMessageExpiryInterval() != null) {
			headers.putIfAbsent(MqttHeaders.MESSAGE_EXPIRY_INTERVAL, properties.getMessageExpiryInterval());
		}
		return headers;
	}

	@Override
	@Nullable Integer reasonCode(Throwable failure) {
		return (failure instanceof MqttException mqttException) ? mqttException.getReasonCode() : null;
	}

	private IMqttAsyncClient client() {
		return (IMqttAsyncClient) Objects.requireNonNull(getClientManager().getClient(), "No MQTT client");
	}

	private static int firstReasonCode(IMqttToken token, int defaultCode) {
		int[] codes = token.getReasonCodes();
		return (codes != null && codes.length > 0) ? codes[0] : defaultCode;
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

	private record Publish(String topic, PublishCallback callback) {

	}

}
