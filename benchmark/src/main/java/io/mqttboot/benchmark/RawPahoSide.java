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
package io.mqttboot.benchmark;

import java.util.concurrent.Semaphore;

import javax.net.SocketFactory;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.jspecify.annotations.Nullable;

/**
 * Raw Paho v5: an {@link MqttAsyncClient} publisher with its own in-flight window (a
 * semaphore sized like the starter's: the smaller of {@code mqtt.max-inflight}'s default
 * and the server's Receive Maximum) and a second {@link MqttAsyncClient} subscribed with
 * a callback that records each message on Paho's callback thread.
 *
 * @author mqttboot
 */
final class RawPahoSide implements BenchmarkSide {

	private static final String PREFIX = "bench/raw/";

	private static final long CONNECT_TIMEOUT_MILLIS = 10_000;

	private final MqttAsyncClient publisher;

	private final MqttAsyncClient subscriber;

	private final Semaphore window;

	private final int windowSize;

	private final int serverReceiveMaximum;

	private final MqttActionListener acknowledged = new MqttActionListener() {

		@Override
		public void onSuccess(IMqttToken token) {
			RawPahoSide.this.window.release();
			((Acks) token.getUserContext()).accept(null, null);
		}

		@Override
		public void onFailure(IMqttToken token, Throwable ex) {
			RawPahoSide.this.window.release();
			((Acks) token.getUserContext()).accept(null, ex);
		}

	};

	private final @Nullable SocketFactory socketFactory;

	private final String sockets;

	private volatile @Nullable Recorder recorder;

	/**
	 * Connect raw Paho.
	 * @param url the broker URL
	 * @param maxInflight the largest in-flight window
	 * @param socketFactory the sockets, {@code null} for Paho's own
	 * @param sockets describes the sockets, for the results
	 * @param connections 2, or 1 to publish and subscribe on one connection
	 * @throws MqttException if Paho cannot connect
	 */
	RawPahoSide(String url, int maxInflight, @Nullable SocketFactory socketFactory, String sockets, int connections)
			throws MqttException {
		this.socketFactory = socketFactory;
		this.sockets = sockets;
		this.publisher = new MqttAsyncClient(url, "bench-raw-pub", new MemoryPersistence());
		this.subscriber = (connections == 1) ? this.publisher
				: new MqttAsyncClient(url, "bench-raw-sub", new MemoryPersistence());
		this.subscriber.setCallback(new Receiver());
		IMqttToken connected = this.publisher.connect(options());
		connected.waitForCompletion(CONNECT_TIMEOUT_MILLIS);
		MqttProperties connack = connected.getResponseProperties();
		Integer receiveMaximum = (connack != null) ? connack.getReceiveMaximum() : null;
		this.serverReceiveMaximum = (receiveMaximum != null) ? receiveMaximum : 65535;
		this.windowSize = Math.min(maxInflight, this.serverReceiveMaximum);
		this.window = new Semaphore(this.windowSize);
		if (this.subscriber != this.publisher) {
			this.subscriber.connect(options()).waitForCompletion(CONNECT_TIMEOUT_MILLIS);
		}
		MqttSubscription[] subscriptions = { new MqttSubscription(PREFIX + "0/#", 0),
				new MqttSubscription(PREFIX + "1/#", 1), new MqttSubscription(PREFIX + "2/#", 2) };
		this.subscriber.subscribe(subscriptions, null, null, new MqttProperties())
			.waitForCompletion(CONNECT_TIMEOUT_MILLIS);
	}

	private MqttConnectionOptions options() {
		MqttConnectionOptions options = new MqttConnectionOptions();
		if (this.socketFactory != null) {
			options.setSocketFactory(this.socketFactory);
		}
		options.setCleanStart(true);
		options.setKeepAliveInterval(60);
		options.setAutomaticReconnect(false);
		options.setConnectionTimeout(10);
		return options;
	}

	/**
	 * Return the Receive Maximum the server announced in CONNACK.
	 * @return the server's Receive Maximum (65535 when not announced)
	 */
	int getServerReceiveMaximum() {
		return this.serverReceiveMaximum;
	}

	@Override
	public String name() {
		return "raw Paho";
	}

	@Override
	public String topic(int qos, int phase) {
		return PREFIX + qos + "/" + phase;
	}

	@Override
	public void receiveWith(Recorder recorder) {
		this.recorder = recorder;
	}

	@Override
	public void publish(String topic, byte[] payload, int qos, Acks acks) throws InterruptedException {
		this.window.acquire();
		MqttMessage message = new MqttMessage(payload);
		message.setQos(qos);
		try {
			this.publisher.publish(topic, message, acks, this.acknowledged);
		}
		catch (MqttException | RuntimeException ex) {
			this.window.release();
			acks.accept(null, ex);
		}
	}

	@Override
	public String describe() {
		String connections = (this.subscriber != this.publisher)
				? "2 connections (MqttAsyncClient publisher + MqttAsyncClient subscriber"
				: "1 connection (one MqttAsyncClient publishes and subscribes";
		return connections + ", memory persistence), "
				+ "in-flight window " + this.windowSize + " (semaphore), subscriptions at QoS 0/1/2, automatic acks"
				+ ", " + this.sockets;
	}

	@Override
	public void close() {
		disconnect(this.publisher);
		if (this.subscriber != this.publisher) {
			disconnect(this.subscriber);
		}
	}

	private static void disconnect(MqttAsyncClient client) {
		try {
			client.disconnect(1000).waitForCompletion(2000);
		}
		catch (MqttException ex) {
			// best effort
		}
		try {
			client.close(true);
		}
		catch (MqttException ex) {
			// best effort
		}
	}

	private final class Receiver implements MqttCallback {

		@Override
		public void messageArrived(String topic, MqttMessage message) {
			Recorder recorder = RawPahoSide.this.recorder;
			if (recorder != null) {
				recorder.record(message.getPayload(), message.getQos());
			}
		}

		@Override
		public void disconnected(MqttDisconnectResponse response) {
			System.err.println("raw Paho subscriber disconnected: " + response);
		}

		@Override
		public void mqttErrorOccurred(MqttException exception) {
			System.err.println("raw Paho subscriber error: " + exception);
		}

		@Override
		public void deliveryComplete(IMqttToken token) {
		}

		@Override
		public void connectComplete(boolean reconnect, String serverURI) {
		}

		@Override
		public void authPacketArrived(int reasonCode, MqttProperties properties) {
		}

	}

}
