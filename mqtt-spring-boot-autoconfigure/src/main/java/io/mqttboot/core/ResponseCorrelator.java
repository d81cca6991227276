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

import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.mqttboot.connection.InboundDelivery;
import io.mqttboot.connection.InboundMessage;
import io.mqttboot.connection.MqttConnection;
import io.mqttboot.connection.MqttInboundReceiver;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.integration.mqtt.support.MqttHeaders;
import org.springframework.messaging.Message;

/**
 * The receiving half of MQTT 5 request/response for the {@link MqttTemplate}: subscribes
 * once, on first use, to the response topic of this client (and again after every
 * reconnect), receives the responses as a {@link MqttInboundReceiver} of the
 * connection's dispatcher (which acknowledges them), and completes the pending request
 * whose correlation data they carry.
 *
 * @author mqttboot
 */
final class ResponseCorrelator implements MqttInboundReceiver {

	private static final Log logger = LogFactory.getLog(ResponseCorrelator.class);

	private static final int RESPONSE_QOS = 1;

	private final MqttConnection connection;

	private final String responseTopic;

	private final Map<String, CompletableFuture<Message<byte[]>>> pending = new ConcurrentHashMap<>();

	private final Object monitor = new Object();

	private @Nullable CompletableFuture<Integer> subscription;

	private boolean opened;

	private boolean closed;

	/**
	 * Create a correlator.
	 * @param connection the template's connection
	 * @param responseTopic the response topic
	 */
	ResponseCorrelator(MqttConnection connection, String responseTopic) {
		this.connection = connection;
		this.responseTopic = responseTopic;
	}

	String getResponseTopic() {
		return this.responseTopic;
	}

	/**
	 * Return a future completed once the response topic is subscribed, subscribing
	 * first if needed (or again if the last attempt failed).
	 * @return the subscription
	 */
	CompletableFuture<Integer> subscribed() {
		synchronized (this.monitor) {
			if (this.closed) {
				return CompletableFuture.failedFuture(new IllegalStateException("The MqttTemplate was destroyed"));
			}
			if (!this.opened) {
				this.connection.open(this);
				this.opened = true;
			}
			CompletableFuture<Integer> current = this.subscription;
			if (current == null || current.isCompletedExceptionally()) {
				current = this.connection.subscribe(this.responseTopic, RESPONSE_QOS);
				this.subscription = current;
			}
			return current;
		}
	}

	/**
	 * Register a request by its correlation data.
	 * @param correlationData the correlation data
	 * @return a future completed with the response
	 */
	CompletableFuture<Message<byte[]>> expect(byte[] correlationData) {
		CompletableFuture<Message<byte[]>> response = new CompletableFuture<>();
		this.pending.put(key(correlationData), response);
		return response;
	}

	/**
	 * Forget a request that timed out or failed.
	 * @param correlationData the correlation data
	 */
	void forget(byte[] correlationData) {
		this.pending.remove(key(correlationData));
	}

	int pendingCount() {
		return this.pending.size();
	}

	@Override
	public void connected() {
		synchronized (this.monitor) {
			if (this.subscription == null || this.closed) {
				return;
			}
			CompletableFuture<Integer> renewed = this.connection.subscribe(this.responseTopic, RESPONSE_QOS);
			this.subscription = renewed;
			renewed.whenComplete((qos, ex) -> {
				if (ex != null) {
					logger.warn("Could not subscribe again to the response topic '" + this.responseTopic
							+ "' after reconnecting; the next sendAndReceive tries again: " + ex.getMessage());
				}
			});
		}
	}

	@Override
	public boolean receive(InboundDelivery delivery) {
		InboundMessage message = delivery.message();
		String topic = message.topic();
		if (!this.responseTopic.equals(topic)) {
			return false;
		}
		try {
			if (!(message.properties().get(MqttHeaders.CORRELATION_DATA) instanceof byte[] correlationData)) {
				logger.debug("Ignored a message without correlation data on the response topic '" + topic + "'");
				return true;
			}
			CompletableFuture<Message<byte[]>> response = this.pending.remove(key(correlationData));
			if (response == null) {
				logger.debug("Ignored a response on '" + topic + "' that matches no pending request "
						+ "(it came after the timeout, or twice)");
				return true;
			}
			response.complete(message.toMessage());
		}
		catch (RuntimeException ex) {
			logger.warn("Could not handle a response on '" + topic + "'", ex);
		}
		return true;
	}

	void close() {
		synchronized (this.monitor) {
			this.closed = true;
			if (this.opened) {
				this.connection.close(this);
			}
		}
		this.pending.values().forEach((response) -> response.cancel(false));
		this.pending.clear();
	}

	private static String key(byte[] correlationData) {
		return HexFormat.of().formatHex(correlationData);
	}

}
