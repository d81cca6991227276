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

import java.net.URI;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import org.jspecify.annotations.Nullable;

/**
 * The HiveMQ MQTT client (MQTT 5, async API): a publisher with an in-flight window sized
 * like raw Paho's (a semaphore: the smaller of 100 and the server's Receive Maximum) and
 * a second client subscribed at QoS 0/1/2 whose callback records each message on the
 * client's Netty event loop, with the client's automatic acknowledgements. Two
 * connections, like raw Paho.
 *
 * @author mqttboot
 */
final class HiveMqClientSide implements BenchmarkSide {

	private static final String PREFIX = "bench/hivemq/";

	private static final long TIMEOUT_SECONDS = 10;

	private static final MqttQos[] QOS = { MqttQos.AT_MOST_ONCE, MqttQos.AT_LEAST_ONCE, MqttQos.EXACTLY_ONCE };

	private final Mqtt5AsyncClient publisher;

	private final Mqtt5AsyncClient subscriber;

	private final Semaphore window;

	private final int windowSize;

	private volatile @Nullable Recorder recorder;

	/**
	 * Connect the two clients and subscribe.
	 * @param url the broker URL, {@code tcp://host:port}
	 * @param maxInflight the largest in-flight window
	 * @throws Exception if a client cannot connect or subscribe
	 */
	HiveMqClientSide(String url, int maxInflight) throws Exception {
		URI uri = URI.create(url);
		this.publisher = client(uri, "bench-hivemq-pub");
		this.subscriber = client(uri, "bench-hivemq-sub");
		Mqtt5ConnAck connAck = this.publisher.connectWith()
			.cleanStart(true)
			.keepAlive(60)
			.send()
			.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		this.windowSize = Math.min(maxInflight, connAck.getRestrictions().getReceiveMaximum());
		this.window = new Semaphore(this.windowSize);
		this.subscriber.connectWith().cleanStart(true).keepAlive(60).send().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		this.subscriber.subscribeWith()
			.addSubscription()
			.topicFilter(PREFIX + "0/#")
			.qos(MqttQos.AT_MOST_ONCE)
			.applySubscription()
			.addSubscription()
			.topicFilter(PREFIX + "1/#")
			.qos(MqttQos.AT_LEAST_ONCE)
			.applySubscription()
			.addSubscription()
			.topicFilter(PREFIX + "2/#")
			.qos(MqttQos.EXACTLY_ONCE)
			.applySubscription()
			.callback(this::received)
			.send()
			.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
	}

	private static Mqtt5AsyncClient client(URI uri, String clientId) {
		return Mqtt5Client.builder()
			.identifier(clientId)
			.serverHost(uri.getHost())
			.serverPort(uri.getPort())
			.buildAsync();
	}

	private void received(Mqtt5Publish publish) {
		Recorder recorder = this.recorder;
		if (recorder != null) {
			recorder.record(publish.getPayloadAsBytes(), publish.getQos().getCode());
		}
	}

	@Override
	public String name() {
		return "HiveMQ";
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
		try {
			this.publisher.publishWith()
				.topic(topic)
				.qos(QOS[qos])
				.payload(payload)
				.send()
				.whenComplete((result, ex) -> {
					this.window.release();
					Throwable failure = (ex != null) ? ex : (result != null) ? result.getError().orElse(null) : null;
					acks.accept(null, failure);
				});
		}
		catch (RuntimeException ex) {
			this.window.release();
			acks.accept(null, ex);
		}
	}

	@Override
	public String describe() {
		return "HiveMQ MQTT client 1.3.10 (on the Netty of this class path)"
				+ ": 2 connections (Mqtt5AsyncClient publisher + Mqtt5AsyncClient subscriber), in-flight window "
				+ this.windowSize + " (semaphore), subscriptions at QoS 0/1/2 with a callback on the client's "
				+ "event loop, automatic acks, the client's own Netty sockets";
	}

	@Override
	public void close() {
		disconnect(this.publisher);
		disconnect(this.subscriber);
	}

	private static void disconnect(Mqtt5AsyncClient client) {
		try {
			client.disconnect().get(2, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			// best effort
		}
	}

}
