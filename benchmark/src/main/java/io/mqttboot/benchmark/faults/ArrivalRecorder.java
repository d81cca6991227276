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
package io.mqttboot.benchmark.faults;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * The independent subscriber of the run: a raw Paho v5 client connected straight to the broker
 * (not through the proxy), with a persistent session (Clean Start false, one hour of session
 * expiry) subscribed to {@code faults/#} at QoS 1, recording the sequence numbers that arrive per
 * topic.
 *
 * @author mqttboot
 */
final class ArrivalRecorder implements MqttCallback, AutoCloseable {

	/** Paho's own logger: its SEVERE lines on every broker restart would only repeat the events. */
	private static final java.util.logging.Logger PAHO_LOGGER = java.util.logging.Logger.getLogger("org.eclipse.paho");

	private final MqttAsyncClient client;

	private final Map<String, Arrivals> topics = new HashMap<>();

	ArrivalRecorder(int brokerPort) throws MqttException {
		PAHO_LOGGER.setLevel(java.util.logging.Level.OFF);
		this.client = new MqttAsyncClient("tcp://127.0.0.1:" + brokerPort, "faults-subscriber", new MemoryPersistence());
		this.client.setCallback(this);
		MqttConnectionOptions options = new MqttConnectionOptions();
		options.setCleanStart(false);
		options.setSessionExpiryInterval(3600L);
		options.setAutomaticReconnect(true);
		options.setAutomaticReconnectDelay(1, 1);
		options.setReceiveMaximum(1000);
		this.client.connect(options).waitForCompletion(10_000);
		this.client.subscribe("faults/#", 1).waitForCompletion(10_000);
	}

	boolean isConnected() {
		return this.client.isConnected();
	}

	/**
	 * Return what arrived on a topic so far (a copy).
	 */
	Arrivals arrivals(String topic) {
		synchronized (this.topics) {
			Arrivals arrivals = this.topics.get(topic);
			return (arrivals != null) ? arrivals.copy() : new Arrivals();
		}
	}

	@Override
	public void messageArrived(String topic, MqttMessage message) {
		long seq = Long.parseLong(new String(message.getPayload(), StandardCharsets.US_ASCII));
		synchronized (this.topics) {
			this.topics.computeIfAbsent(topic, (key) -> new Arrivals()).add(seq);
		}
	}

	@Override
	public void connectComplete(boolean reconnect, String serverURI) {
		FaultInjectionRun.log("subscriber connected (reconnect: " + reconnect + ")");
		if (reconnect) {
			try {
				this.client.subscribe("faults/#", 1);
			}
			catch (MqttException ex) {
				// the persistent session keeps the subscription anyway
			}
		}
	}

	@Override
	public void disconnected(MqttDisconnectResponse disconnectResponse) {
		FaultInjectionRun.log("subscriber disconnected: " + disconnectResponse);
	}

	@Override
	public void mqttErrorOccurred(MqttException exception) {
	}

	@Override
	public void deliveryComplete(IMqttToken token) {
	}

	@Override
	public void authPacketArrived(int reasonCode, MqttProperties properties) {
	}

	@Override
	public void close() throws MqttException {
		this.client.disconnect().waitForCompletion(5000);
		this.client.close();
	}

	/**
	 * The sequence numbers that arrived on one topic.
	 */
	static final class Arrivals {

		final Set<Long> distinct = new HashSet<>();

		/** Wall-clock time (ms) of the first arrival of each sequence number. */
		final Map<Long, Long> firstArrival = new HashMap<>();

		long total;

		long outOfOrder;

		long max = -1;

		/** The first out-of-order arrivals, as "seq after max". */
		final java.util.List<String> outOfOrderSamples = new java.util.ArrayList<>();

		void add(long seq) {
			this.total++;
			if (this.distinct.add(seq)) {
				this.firstArrival.put(seq, System.currentTimeMillis());
				if (seq < this.max) {
					this.outOfOrder++;
					if (this.outOfOrderSamples.size() < 5) {
						this.outOfOrderSamples.add(seq + " after " + this.max);
					}
				}
				this.max = Math.max(this.max, seq);
			}
		}

		long duplicates() {
			return this.total - this.distinct.size();
		}

		Arrivals copy() {
			Arrivals copy = new Arrivals();
			copy.distinct.addAll(this.distinct);
			copy.firstArrival.putAll(this.firstArrival);
			copy.total = this.total;
			copy.outOfOrder = this.outOfOrder;
			copy.max = this.max;
			copy.outOfOrderSamples.addAll(this.outOfOrderSamples);
			return copy;
		}

	}

}
