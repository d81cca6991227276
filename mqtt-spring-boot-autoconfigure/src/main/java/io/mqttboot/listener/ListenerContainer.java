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

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.mqttboot.connection.InboundDelivery;
import io.mqttboot.connection.InboundMessage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.messaging.Message;

/**
 * Runs one listener: whether it accepts messages, and its {@link SerialLanes} on the
 * listener threads. Made by the {@link MqttListenerContainerFactory}, held by the
 * {@link MqttListenerEndpointRegistry}.
 *
 * @author mqttboot
 */
final class ListenerContainer {

	/**
	 * The most QoS 0 messages queued for one listener; further ones are dropped, as the
	 * broker itself may do with QoS 0 (QoS 1 and 2 are bounded by the in-flight window).
	 */
	static final int MAX_QUEUED_QOS0 = 10_000;

	private static final long DROP_WARNING_INTERVAL_NANOS = 60_000_000_000L;

	private static final Log logger = LogFactory.getLog(MqttListenerEndpointRegistry.class);

	private final MqttListenerEndpoint endpoint;

	private final MqttMessageListenerAdapter adapter;

	private final SerialLanes lanes;

	private final List<ListenerSubscription> subscriptions = new CopyOnWriteArrayList<>();

	private volatile boolean accepting;

	private final MqttListenerStatistics statistics;

	private volatile long lastDropWarning;

	ListenerContainer(MqttListenerEndpoint endpoint, MqttMessageListenerAdapter adapter, SerialLanes lanes) {
		this.endpoint = endpoint;
		this.adapter = adapter;
		this.lanes = lanes;
		this.statistics = new MqttListenerStatistics(lanes::getPending);
	}

	String getId() {
		return this.endpoint.id();
	}

	MqttListenerEndpoint getEndpoint() {
		return this.endpoint;
	}

	MqttListenerStatistics getStatistics() {
		return this.statistics;
	}

	List<ListenerSubscription> getSubscriptions() {
		return this.subscriptions;
	}

	void addSubscription(ListenerSubscription subscription) {
		if (!this.subscriptions.contains(subscription)) {
			this.subscriptions.add(subscription);
		}
	}

	/**
	 * Accept messages; they queue until {@link #start()}.
	 */
	void accept() {
		this.accepting = true;
	}

	/**
	 * Accept messages and process them.
	 */
	void start() {
		this.accepting = true;
		this.lanes.start();
	}

	/**
	 * Stop accepting messages; those already accepted are still processed.
	 */
	void stop() {
		this.accepting = false;
	}

	boolean isAccepting() {
		return this.accepting;
	}

	/**
	 * Return the most messages the listener processes at once.
	 * @return the number of its serial lanes
	 */
	int getConcurrency() {
		return this.lanes.getConcurrency();
	}

	boolean isRunning() {
		return this.accepting && this.lanes.isStarted();
	}

	/**
	 * Wait until the messages accepted so far are processed.
	 * @param timeout how long to wait at most
	 * @return whether the listener is idle
	 */
	boolean awaitIdle(Duration timeout) {
		return this.lanes.awaitIdle(timeout);
	}

	/**
	 * Stop the listener's threads; messages not yet processed stay unacknowledged.
	 */
	void close() {
		this.accepting = false;
		this.lanes.close();
	}

	/**
	 * Queue a message for the listener and hold its acknowledgement until the listener
	 * (and the error handler, if it failed) returned. Messages of one topic are
	 * processed in order. The Spring message is built on the listener's thread, not on
	 * Paho's.
	 * @param delivery the message
	 */
	void submit(InboundDelivery delivery) {
		InboundMessage inbound = delivery.message();
		delivery.hold();
		Runnable task = () -> {
			try {
				String topic = inbound.topic();
				Map<String, String> variables = variables(topic);
				Message<byte[]> input = (variables.isEmpty()) ? inbound.toMessage()
						: inbound.toMessage(Map.of(TopicVariableMethodArgumentResolver.VARIABLES_HEADER, variables));
				this.statistics.handled(this.adapter.onMessage(input, topic, variables));
			}
			catch (Throwable ex) {
				this.statistics.handled(false);
				logger.error("Unexpected failure of MQTT listener '" + getId() + "'", ex);
			}
			finally {
				delivery.release();
			}
		};
		if (inbound.qos() > 0) {
			// QoS 1 and 2 are bounded by the broker's in-flight window.
			this.lanes.execute(inbound.topic(), task);
		}
		else if (!this.lanes.execute(inbound.topic(), task, MAX_QUEUED_QOS0)) {
			dropped(inbound);
			delivery.release();
		}
	}
	private void dropped(InboundMessage inbound) {
		long dropped = this.statistics.dropped();
		long now = System.nanoTime();
		long last = this.lastDropWarning;
		if (dropped == 1 || now - last > DROP_WARNING_INTERVAL_NANOS) {
			this.lastDropWarning = now;
			logger.warn("MQTT listener '" + getId() + "' is " + MAX_QUEUED_QOS0 + " messages behind: QoS 0 message "
					+ "on '" + inbound.topic() + "' dropped (" + dropped + " so far; logged at most once a minute)");
		}
	}

	private Map<String, String> variables(String topic) {
		for (TopicFilter filter : this.endpoint.topics()) {
			if (!filter.getVariableNames().isEmpty() && filter.matches(topic)) {
				return filter.extractVariables(topic);
			}
		}
		return Map.of();
	}

	@Override
	public String toString() {
		return getId();
	}

}
