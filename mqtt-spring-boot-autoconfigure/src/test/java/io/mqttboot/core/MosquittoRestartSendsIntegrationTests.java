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

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.mqttboot.autoconfigure.MqttAutoConfiguration;
import io.mqttboot.connection.MqttConnection;
import io.mqttboot.test.EnabledIfMosquitto;
import io.mqttboot.test.MosquittoBroker;
import io.mqttboot.test.MqttTestClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sends during a broker restart with the default settings: Mosquitto is stopped for about
 * three seconds while a steady stream of QoS 1 sends goes on, and every send completes and
 * arrives, in order. The subscriber is an independent client with a persistent session on
 * a broker with persistence, so that it misses nothing across the restart either.
 *
 * @author mqttboot
 */
@EnabledIfMosquitto
class MosquittoRestartSendsIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	/** The stream: 100 messages a second. */
	private static final long INTERVAL_MILLIS = 10;

	@Test
	void sendsDuringABrokerRestartAllCompleteAndArriveInOrder(@TempDir Path store) throws Exception {
		Files.createDirectories(store);
		try (MosquittoBroker broker = MosquittoBroker.builder()
			.config("persistence true", "persistence_location " + store + "/")
			.start(); MqttTestClient subscriber = persistentSubscriber(broker)) {
			new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(MqttAutoConfiguration.class))
				.withPropertyValues("mqtt.url=" + broker.mqttUrl(), "mqtt.template.default-qos=1")
				.run((context) -> {
					MqttTemplate template = context.getBean(MqttTemplate.class);
					MqttConnection connection = context.getBean(MqttConnection.class);
					await().atMost(WAIT).until(connection::isConnected);
					int count = 800;
					List<CompletableFuture<Void>> sends = new ArrayList<>();
					ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
					try {
						sender.scheduleAtFixedRate(() -> {
							synchronized (sends) {
								if (sends.size() < count) {
									sends.add(template.send("restart/stream", "m" + sends.size()));
								}
							}
						}, 0, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
						await().atMost(WAIT).until(() -> sentSoFar(sends) >= 200);
						broker.stop();
						await().atMost(WAIT).until(() -> !connection.isConnected());
						int atStop = sentSoFar(sends);
						// The broker stays down while 300 messages are sent: about three seconds
						await().atMost(WAIT).until(() -> sentSoFar(sends) >= atStop + 300);
						assertThat(template.getBufferedCount()).isPositive();
						broker.start();
						await().atMost(WAIT).until(() -> sentSoFar(sends) == count);
					}
					finally {
						sender.shutdownNow();
					}
					assertThat(CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))).succeedsWithin(WAIT);
					await().atMost(WAIT).until(() -> Set.copyOf(payloads(subscriber)).size() == count);
					// In order, each message once at least (a publish the stop interrupted may
					// arrive twice)
					List<String> firstArrivals = new ArrayList<>(new LinkedHashSet<>(payloads(subscriber)));
					List<String> expected = new ArrayList<>();
					for (int i = 0; i < count; i++) {
						expected.add("m" + i);
					}
					assertThat(firstArrivals).containsExactlyElementsOf(expected);
				});
		}
	}

	private static MqttTestClient persistentSubscriber(MosquittoBroker broker) {
		MqttConnectionOptions options = MqttTestClient.options();
		options.setCleanStart(false);
		options.setSessionExpiryInterval(600L);
		options.setAutomaticReconnect(true);
		options.setAutomaticReconnectDelay(1, 1);
		return MqttTestClient.connect(broker.tcpUrl(), "restart-subscriber", options).subscribe("restart/#", 1);
	}

	private static int sentSoFar(List<CompletableFuture<Void>> sends) {
		synchronized (sends) {
			return sends.size();
		}
	}

	private static List<String> payloads(MqttTestClient subscriber) {
		return subscriber.messages()
			.stream()
			.map((received) -> new String(received.payload(), StandardCharsets.UTF_8))
			.toList();
	}

}
