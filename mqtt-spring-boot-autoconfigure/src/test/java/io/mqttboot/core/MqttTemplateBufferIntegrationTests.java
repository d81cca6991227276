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
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.mqttboot.autoconfigure.MqttAutoConfiguration;
import io.mqttboot.connection.MqttConnection;
import io.mqttboot.test.HiveMqBroker;
import io.mqttboot.test.MqttTestClient;
import io.mqttboot.test.TcpProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sends while the connection is down ({@code mqtt.template.buffer.*}): before the first
 * connection and during an outage they wait in order and go out once the connection is
 * up; a full buffer and a passed send timeout fail their own futures; a timed-out send
 * never reaches a subscriber later. The outage is a proxy between the application and
 * the embedded HiveMQ broker that cuts the connection and refuses new ones, so that the
 * subscriber, connected to the broker directly, sees everything.
 *
 * @author mqttboot
 */
class MqttTemplateBufferIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private final HiveMqBroker broker = HiveMqBroker.shared();

	private final String prefix = "it/buffer/" + UUID.randomUUID().toString().substring(0, 8);

	private TcpProxy proxy;

	private MqttTestClient subscriber;

	@BeforeEach
	void start() {
		this.proxy = TcpProxy.to(this.broker.port());
		this.subscriber = MqttTestClient.connect(this.broker.tcpUrl()).subscribe(this.prefix + "/#", 1);
	}

	@AfterEach
	void stop() {
		this.subscriber.close();
		this.proxy.close();
	}

	private ApplicationContextRunner contextRunner() {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(MqttAutoConfiguration.class))
			.withPropertyValues("mqtt.url=" + this.proxy.mqttUrl(), "mqtt.reconnect.min-delay=100ms",
					"mqtt.reconnect.max-delay=200ms", "mqtt.connect-timeout=2s", "mqtt.keep-alive=2s");
	}

	@Test
	void sendsBeforeTheFirstConnectionWaitAndGoOutInOrder() {
		this.proxy.setRefusing(true);
		contextRunner().run((context) -> {
			MqttTemplate template = context.getBean(MqttTemplate.class);
			assertThat(context.getBean(MqttConnection.class).isConnected()).isFalse();
			List<CompletableFuture<Void>> sends = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				sends.add(template.send(this.prefix + "/early", "m" + i));
			}
			assertThat(template.getBufferedCount()).isEqualTo(5);
			assertThat(sends).noneMatch(CompletableFuture::isDone);
			this.proxy.setRefusing(false);
			assertThat(CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))).succeedsWithin(WAIT);
			await().atMost(WAIT).until(() -> this.subscriber.messages().size() >= 5);
			assertThat(payloads()).containsExactly("m0", "m1", "m2", "m3", "m4");
			assertThat(template.getBufferedCount()).isZero();
		});
	}

	@Test
	void sendsDuringAnOutageAllCompleteAndArriveInOrder() throws Exception {
		contextRunner().run((context) -> {
			MqttTemplate template = context.getBean(MqttTemplate.class);
			MqttConnection connection = context.getBean(MqttConnection.class);
			await().atMost(WAIT).until(connection::isConnected);
			int count = 300;
			List<CompletableFuture<Void>> sends = new ArrayList<>();
			ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
			try {
				// A steady stream of 200 messages a second
				sender.scheduleAtFixedRate(() -> {
					synchronized (sends) {
						if (sends.size() < count) {
							sends.add(template.send(this.prefix + "/stream", "m" + sends.size()));
						}
					}
				}, 0, 5, TimeUnit.MILLISECONDS);
				await().atMost(WAIT).until(() -> sentSoFar(sends) >= 80);
				this.proxy.setRefusing(true);
				this.proxy.cut();
				await().atMost(WAIT).until(() -> !connection.isConnected());
				int atLoss = sentSoFar(sends);
				// The outage lasts while about 120 messages are sent
				await().atMost(WAIT).until(() -> sentSoFar(sends) >= Math.min(count, atLoss + 120));
				assertThat(template.getBufferedCount()).isPositive();
				this.proxy.setRefusing(false);
				await().atMost(WAIT).until(() -> sentSoFar(sends) == count);
			}
			finally {
				sender.shutdownNow();
			}
			assertThat(CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))).succeedsWithin(WAIT);
			await().atMost(WAIT).until(() -> Set.copyOf(payloads()).size() == count);
			// In order, each message once at least (a publish the cut interrupted may arrive twice)
			List<String> firstArrivals = new ArrayList<>(new LinkedHashSet<>(payloads()));
			List<String> expected = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				expected.add("m" + i);
			}
			assertThat(firstArrivals).containsExactlyElementsOf(expected);
		});
	}

	@Test
	void aFullBufferFailsTheSendAtOnce() {
		this.proxy.setRefusing(true);
		contextRunner().withPropertyValues("mqtt.template.buffer.max-messages=2").run((context) -> {
			MqttTemplate template = context.getBean(MqttTemplate.class);
			CompletableFuture<Void> first = template.send(this.prefix + "/full", "1");
			CompletableFuture<Void> second = template.send(this.prefix + "/full", "2");
			CompletableFuture<Void> third = template.send(this.prefix + "/full", "3");
			assertThat(third).failsWithin(Duration.ZERO)
				.withThrowableOfType(Exception.class)
				.havingCause()
				.isInstanceOf(MqttPublishException.class)
				.withMessageContaining("The send buffer is full (2 messages");
			assertThat(first).isNotDone();
			assertThat(second).isNotDone();
		});
	}

	@Test
	void aBufferedSendWhoseTimeoutPassesFailsAndIsNeverSent() {
		this.proxy.setRefusing(true);
		contextRunner().withPropertyValues("mqtt.template.send-timeout=500ms").run((context) -> {
			MqttTemplate template = context.getBean(MqttTemplate.class);
			CompletableFuture<Void> late = template.send(this.prefix + "/late", "late");
			assertThat(late).failsWithin(WAIT)
				.withThrowableOfType(Exception.class)
				.havingCause()
				.isInstanceOf(TimeoutException.class)
				.withMessageContaining("the buffered send to '" + this.prefix + "/late' was not published");
			assertThat(template.getBufferedCount()).isZero();
			this.proxy.setRefusing(false);
			await().atMost(WAIT).until(context.getBean(MqttConnection.class)::isConnected);
			assertThat(template.send(this.prefix + "/marker", "after")).succeedsWithin(WAIT);
			await().atMost(WAIT).until(() -> payloads().contains("after"));
			assertThat(payloads()).containsExactly("after");
		});
	}

	@Test
	void noBufferFailsAtOnceWhileNotConnected() {
		this.proxy.setRefusing(true);
		contextRunner().withPropertyValues("mqtt.template.buffer.max-messages=0").run((context) -> {
			CompletableFuture<Void> send = context.getBean(MqttTemplate.class).send(this.prefix + "/none", "x");
			assertThat(send).failsWithin(Duration.ZERO)
				.withThrowableOfType(Exception.class)
				.havingCause()
				.isInstanceOf(MqttPublishException.class)
				.withMessageContaining("Not connected to the MQTT broker");
		});
	}

	@Test
	void bufferedSendsFailWhenTheApplicationStops() {
		this.proxy.setRefusing(true);
		List<CompletableFuture<Void>> sends = new ArrayList<>();
		contextRunner().run((context) -> sends.add(context.getBean(MqttTemplate.class).send(this.prefix + "/stop", "x")));
		assertThat(sends.get(0)).failsWithin(WAIT)
			.withThrowableOfType(Exception.class)
			.havingCause()
			.isInstanceOf(MqttPublishException.class)
			.withMessageContaining("destroyed before the connection was up");
	}

	private List<String> payloads() {
		return this.subscriber.messages()
			.stream()
			.map((message) -> new String(message.payload(), StandardCharsets.UTF_8))
			.toList();
	}

	private static int sentSoFar(List<CompletableFuture<Void>> sends) {
		synchronized (sends) {
			return sends.size();
		}
	}

}
