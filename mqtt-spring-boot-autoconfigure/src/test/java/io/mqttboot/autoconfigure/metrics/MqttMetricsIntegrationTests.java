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
package io.mqttboot.autoconfigure.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.RequiredSearch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mqttboot.autoconfigure.MqttAutoConfiguration;
import io.mqttboot.core.MqttTemplate;
import io.mqttboot.listener.MqttListener;
import io.mqttboot.listener.MqttListenerEndpointRegistry;
import io.mqttboot.listener.MqttListenerStatistics;
import io.mqttboot.metrics.MqttMetrics;
import io.mqttboot.test.HiveMqBroker;
import io.mqttboot.test.TcpProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The MQTT meters observed in a {@link SimpleMeterRegistry} while an application runs
 * against the embedded HiveMQ broker, through a {@link TcpProxy} that refuses and cuts
 * connections: the connection gauge, attempts and losses, the template's in-flight and
 * buffered sends, a listener's queue and its QoS 0 overflow, a named connection's own
 * tag; and no meters without Micrometer or without a registry.
 *
 * @author mqttboot
 */
class MqttMetricsIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final HiveMqBroker broker = HiveMqBroker.shared();

	private final String prefix = "it/metrics/" + UUID.randomUUID().toString().substring(0, 8);

	private ApplicationContextRunner contextRunner(String protocolVersion, String url) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(MqttAutoConfiguration.class, MetricsAutoConfiguration.class,
					MqttMetricsAutoConfiguration.class))
			.withBean(SimpleMeterRegistry.class)
			.withPropertyValues("mqtt.protocol-version=" + protocolVersion, "mqtt.url=" + url,
					"mqtt.client-id=" + clientId("metrics"), "mqtt.reconnect.min-delay=100ms",
					"mqtt.reconnect.max-delay=500ms", "mqtt.connect-timeout=5s", "test.prefix=" + this.prefix);
	}

	@ParameterizedTest(name = "MQTT {0}")
	@ValueSource(strings = { "5", "3.1.1" })
	void connectionMetersFollowConnectsRefusalsAndLosses(String protocolVersion) {
		try (TcpProxy proxy = TcpProxy.to(broker.port())) {
			contextRunner(protocolVersion, proxy.mqttUrl()).run((context) -> {
				assertThat(context).hasNotFailed();
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				MqttTemplate template = context.getBean(MqttTemplate.class);
				await("connected").atMost(WAIT).until(() -> gauge(registry, "mqtt.connections") == 1);
				// Paho reports the connection up a moment before the attempt's success is counted
				await("one successful attempt").atMost(WAIT).until(() -> attempts(registry, "success") == 1);
				assertThat(attempts(registry, "failure")).isZero();
				assertThat(counter(registry, "mqtt.connection.lost")).isZero();
				assertThat(gauge(registry, "mqtt.publish.inflight")).isZero();
				assertThat(gauge(registry, "mqtt.publish.buffered")).isZero();
				// A publish the broker never acknowledges stays in flight
				proxy.freeze();
				CompletableFuture<Void> unacknowledged = template.send(this.prefix + "/frozen", "1", 1, false);
				await("one publish in flight").atMost(WAIT)
					.until(() -> gauge(registry, "mqtt.publish.inflight") == 1);
				// The network fails and the broker refuses for a while
				proxy.setRefusing(true);
				proxy.cut();
				await("disconnected").atMost(WAIT).until(() -> gauge(registry, "mqtt.connections") == 0);
				assertThat(counter(registry, "mqtt.connection.lost")).isEqualTo(1);
				await("a failed attempt").atMost(WAIT).until(() -> attempts(registry, "failure") >= 1);
				CompletableFuture<Void> whileDown = template.send(this.prefix + "/down", "2", 1, false);
				await("buffered sends").atMost(WAIT).until(() -> gauge(registry, "mqtt.publish.buffered") >= 1);
				assertThat(gauge(registry, "mqtt.publish.inflight")).isZero();
				// The broker is back
				proxy.setRefusing(false);
				await("reconnected").atMost(WAIT).until(() -> gauge(registry, "mqtt.connections") == 1);
				whileDown.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
				unacknowledged.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
				assertThat(attempts(registry, "success")).isEqualTo(2);
				assertThat(counter(registry, "mqtt.connection.lost")).isEqualTo(1);
				await("buffer drained").atMost(WAIT)
					.until(() -> gauge(registry, "mqtt.publish.buffered") == 0
							&& gauge(registry, "mqtt.publish.inflight") == 0);
			});
		}
	}

	@Test
	void theApplicationsStopIsNoLoss() {
		contextRunner("5", broker.tcpUrl()).run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			await("connected").atMost(WAIT).until(() -> gauge(registry, "mqtt.connections") == 1);
			context.getBean("mqttClientManager", org.springframework.context.Lifecycle.class).stop();
			await("disconnected").atMost(WAIT).until(() -> gauge(registry, "mqtt.connections") == 0);
			assertThat(counter(registry, "mqtt.connection.lost")).isZero();
		});
	}

	@Test
	void listenerQueueAndQos0OverflowAreMetered() {
		contextRunner("5", broker.tcpUrl()).withUserConfiguration(GatedListener.class).run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			MqttListenerEndpointRegistry listeners = context.getBean(MqttListenerEndpointRegistry.class);
			await("subscribed").atMost(WAIT).until(() -> listeners.isSubscribed("gated"));
			GatedListener listener = context.getBean(GatedListener.class);
			MqttTemplate template = context.getBean(MqttTemplate.class);
			int published = 10_000 + 50;
			List<CompletableFuture<Void>> sends = new ArrayList<>();
			for (int i = 0; i < published; i++) {
				sends.add(template.send(this.prefix + "/gated", "m" + i, 0, false));
			}
			CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
				.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
			RequiredSearch queued = registry.get("mqtt.listener.queued")
				.tag("connection", "default")
				.tag("listener.id", "gated");
			RequiredSearch dropped = registry.get("mqtt.listener.dropped")
				.tag("connection", "default")
				.tag("listener.id", "gated");
			await("a full queue and drops").atMost(WAIT)
				.until(() -> queued.gauge().value() == 10_000 && dropped.functionCounter().count() > 0);
			listener.gate.countDown();
			await("the queue worked off").atMost(WAIT).until(() -> queued.gauge().value() == 0);
			MqttListenerStatistics statistics = listeners.getStatistics("gated");
			assertThat(statistics.getHandled() + statistics.getDropped()).isLessThanOrEqualTo(published)
				.isGreaterThanOrEqualTo(10_001);
			assertThat(statistics.getDropped()).isEqualTo((long) dropped.functionCounter().count());
			assertThat(statistics.getFailed()).isZero();
		});
	}

	@Test
	void aNamedConnectionHasItsOwnTag() {
		try (TcpProxy proxy = TcpProxy.to(broker.port())) {
			proxy.setRefusing(true);
			contextRunner("5", broker.tcpUrl())
				.withPropertyValues("mqtt.connections.cloud.url=" + proxy.mqttUrl(),
						"mqtt.connections.cloud.client-id=" + clientId("cloud"),
						"mqtt.connections.cloud.reconnect.min-delay=100ms",
						"mqtt.connections.cloud.reconnect.max-delay=500ms")
				.run((context) -> {
					MeterRegistry registry = context.getBean(MeterRegistry.class);
					await("default connected, cloud refused").atMost(WAIT)
						.until(() -> gauge(registry, "mqtt.connections") == 1
								&& attempts(registry, "cloud", "failure") >= 1);
					assertThat(gauge(registry, "cloud", "mqtt.connections")).isZero();
					assertThat(attempts(registry, "failure")).isZero();
					proxy.setRefusing(false);
					await("cloud connected").atMost(WAIT)
						.until(() -> gauge(registry, "cloud", "mqtt.connections") == 1);
					assertThat(attempts(registry, "cloud", "success")).isEqualTo(1);
					assertThat(attempts(registry, "success")).isEqualTo(1);
					assertThat(gauge(registry, "cloud", "mqtt.publish.buffered")).isZero();
					assertThat(registry.get("mqtt.connections").gauges()).hasSize(2);
				});
		}
	}

	@Test
	void noMetersWithoutMicrometer() {
		contextRunner("5", broker.tcpUrl()).withClassLoader(new FilteredClassLoader("io.micrometer.core"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(MqttMetrics.class);
			});
	}

	@Test
	void noMetersWithoutARegistry() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(MqttAutoConfiguration.class, MqttMetricsAutoConfiguration.class))
			.withPropertyValues("mqtt.url=" + broker.tcpUrl(), "mqtt.client-id=" + clientId("no-registry"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(MqttMetrics.class);
			});
	}

	private static double gauge(MeterRegistry registry, String name) {
		return gauge(registry, "default", name);
	}

	private static double gauge(MeterRegistry registry, String connection, String name) {
		return registry.get(name).tag("connection", connection).gauge().value();
	}

	private static double counter(MeterRegistry registry, String name) {
		return registry.get(name).tag("connection", "default").functionCounter().count();
	}

	private static double attempts(MeterRegistry registry, String outcome) {
		return attempts(registry, "default", outcome);
	}

	private static double attempts(MeterRegistry registry, String connection, String outcome) {
		return registry.get("mqtt.connection.attempts")
			.tag("connection", connection)
			.tag("outcome", outcome)
			.functionCounter()
			.count();
	}

	private static String clientId(String prefix) {
		return prefix + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
	}

	static class GatedListener {

		final CountDownLatch gate = new CountDownLatch(1);

		@MqttListener(id = "gated", topics = "${test.prefix}/gated", qos = 0)
		void on(String payload) throws InterruptedException {
			this.gate.await(1, TimeUnit.MINUTES);
		}

	}

}
