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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.mqttboot.autoconfigure.MqttAutoConfiguration;
import io.mqttboot.test.MqttTestClient;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.IntegrationMessageHeaderAccessor;
import org.springframework.integration.acks.SimpleAcknowledgment;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.integration.mqtt.core.ClientManager;
import org.springframework.integration.mqtt.support.MqttHeaders;

import static org.awaitility.Awaitility.await;

/**
 * Helpers of the listener integration tests.
 *
 * @author mqttboot
 */
final class ListenerTestSupport {

	/** Deadline of every wait. */
	static final Duration WAIT = Duration.ofSeconds(15);

	/** How long to watch for a message that must not arrive. */
	static final Duration QUIET = Duration.ofMillis(700);

	private ListenerTestSupport() {
	}

	/**
	 * Return a runner with the MQTT and Jackson auto-configurations, short reconnect
	 * delays and the given broker.
	 * @param protocolVersion the value of {@code mqtt.protocol-version}
	 * @param url the broker URL
	 * @param prefix the value of {@code test.prefix}, the root of the test's topics
	 * @return the runner
	 */
	static ApplicationContextRunner contextRunner(String protocolVersion, String url, String prefix) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, MqttAutoConfiguration.class))
			.withUserConfiguration(RecorderConfiguration.class)
			.withPropertyValues("mqtt.protocol-version=" + protocolVersion, "mqtt.url=" + url,
					"mqtt.reconnect.min-delay=100ms", "mqtt.reconnect.max-delay=1s", "mqtt.connect-timeout=5s",
					"test.prefix=" + prefix);
	}

	/**
	 * Return a topic prefix unique in the JVM.
	 * @param protocolVersion the protocol version under test
	 * @return the prefix
	 */
	static String uniquePrefix(String protocolVersion) {
		return "it/listener/" + protocolVersion.replace(".", "") + "/" + UUID.randomUUID().toString().substring(0, 8);
	}

	/**
	 * Return a client id that is unique in the JVM and valid for every protocol version.
	 * @param prefix a short prefix
	 * @return the client id
	 */
	static String clientId(String prefix) {
		return prefix + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
	}

	static MqttListenerEndpointRegistry registry(ApplicationContext context) {
		return context.getBean(MqttListenerEndpointRegistry.class);
	}

	/**
	 * Wait until the given listeners (all if none given) are subscribed.
	 * @param context the application context
	 * @param ids the listener ids
	 */
	static void awaitSubscribed(ApplicationContext context, String... ids) {
		MqttListenerEndpointRegistry registry = registry(context);
		List<String> listeners = (ids.length > 0) ? List.of(ids) : new ArrayList<>(registry.getListenerIds());
		await("listeners " + listeners + " subscribed").atMost(WAIT)
			.until(() -> context.getBean(ClientManager.class).isConnected()
					&& listeners.stream().allMatch(registry::isSubscribed));
	}

	/**
	 * Return the output channel of a Spring Integration inbound adapter on the shared
	 * client: it records each message under {@code adapter} as {@code topic|payload} and
	 * acknowledges it, as an adapter beside listeners must (the client acknowledges
	 * manually).
	 * @param recorder the recorder
	 * @return the channel
	 */
	static DirectChannel acknowledgingAdapterOutput(Recorder recorder) {
		DirectChannel channel = new DirectChannel();
		channel.subscribe((message) -> {
			Object payload = message.getPayload();
			recorder.record("adapter", message.getHeaders().get(MqttHeaders.RECEIVED_TOPIC) + "|"
					+ ((payload instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8) : payload));
			SimpleAcknowledgment acknowledgment = message.getHeaders()
				.get(IntegrationMessageHeaderAccessor.ACKNOWLEDGMENT_CALLBACK, SimpleAcknowledgment.class);
			if (acknowledgment != null) {
				acknowledgment.acknowledge();
			}
		});
		return channel;
	}

	static void publish(MqttTestClient client, String topic, String payload) {
		client.publish(topic, payload, 1, false);
	}

	static byte[] utf8(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Records what listeners received, by key.
	 */
	static final class Recorder {

		private final Map<String, BlockingQueue<Object>> received = new ConcurrentHashMap<>();

		private final Map<String, List<Object>> all = new ConcurrentHashMap<>();

		void record(String key, Object value) {
			this.received.computeIfAbsent(key, (k) -> new LinkedBlockingQueue<>()).add(value);
			this.all.computeIfAbsent(key, (k) -> Collections.synchronizedList(new ArrayList<>()))
				.add(value);
		}

		Object next(String key) {
			try {
				Object value = this.received.computeIfAbsent(key, (k) -> new LinkedBlockingQueue<>())
					.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
				if (value == null) {
					throw new AssertionError("Nothing recorded for '" + key + "' within " + WAIT + "; recorded: "
							+ this.all);
				}
				return value;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

		List<Object> all(String key) {
			List<Object> values = this.all.get(key);
			if (values == null) {
				return List.of();
			}
			synchronized (values) {
				return List.copyOf(values);
			}
		}

		int count(String key) {
			return all(key).size();
		}

	}

	/**
	 * A latch that a listener can block on.
	 */
	static final class Gate {

		private final CountDownLatch latch;

		Gate(boolean open) {
			this.latch = new CountDownLatch(open ? 0 : 1);
		}

		void pass() {
			try {
				if (!this.latch.await(WAIT.toMillis() * 2, TimeUnit.MILLISECONDS)) {
					throw new IllegalStateException("Gate still closed");
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		void open() {
			this.latch.countDown();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RecorderConfiguration {

		@Bean
		Recorder recorder() {
			return new Recorder();
		}

	}

}
