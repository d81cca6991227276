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

import java.util.List;

import io.mqttboot.listener.ListenerTestSupport.Recorder;
import io.mqttboot.test.HiveMqBroker;
import io.mqttboot.test.MqttTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.integration.mqtt.core.ClientManager;

import static io.mqttboot.listener.ListenerTestSupport.QUIET;
import static io.mqttboot.listener.ListenerTestSupport.WAIT;
import static io.mqttboot.listener.ListenerTestSupport.awaitSubscribed;
import static io.mqttboot.listener.ListenerTestSupport.publish;
import static io.mqttboot.listener.ListenerTestSupport.registry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * MQTT 5 routing with and without subscription identifiers: a broker that supports them
 * gets them on the subscriptions whose filters overlap (and only there), one that does
 * not (told in CONNACK) gets none, and overlapping filters reach each listener once
 * either way.
 *
 * @author mqttboot
 */
class Mqttv5SubscriptionIdentifiersIntegrationTests {

	private static HiveMqBroker withoutIdentifiers;

	private final String prefix = ListenerTestSupport.uniquePrefix("5");

	@BeforeAll
	static void startBroker() {
		withoutIdentifiers = HiveMqBroker.start(false,
				"<mqtt><subscription-identifier><enabled>false</enabled></subscription-identifier></mqtt>");
	}

	@AfterAll
	static void stopBroker() {
		withoutIdentifiers.close();
	}

	private ApplicationContextRunner contextRunner(HiveMqBroker broker) {
		return ListenerTestSupport.contextRunner("5", broker.mqttUrl(), this.prefix)
			.withUserConfiguration(OverlappingListeners.class);
	}

	@Test
	void onlyOverlappingFiltersGetSubscriptionIdentifiers() {
		contextRunner(HiveMqBroker.shared()).run((context) -> {
			awaitSubscribed(context);
			MqttListenerEndpointRegistry registry = registry(context);
			assertThat(registry.usesSubscriptionIdentifiers()).isTrue();
			assertThat(registry.requestedSubscriptionId(this.prefix + "/o/#")).isNotNull();
			assertThat(registry.requestedSubscriptionId(this.prefix + "/o/a/x")).isNotNull();
			assertThat(registry.requestedSubscriptionId(this.prefix + "/s/x")).isNull();
			publishAndExpectOncePerListener(context, HiveMqBroker.shared());
		});
	}

	@Test
	void overlappingFiltersReachEachListenerOnceWithoutSubscriptionIdentifiers() {
		contextRunner(withoutIdentifiers).run((context) -> {
			awaitSubscribed(context);
			MqttListenerEndpointRegistry registry = registry(context);
			assertThat(registry.usesSubscriptionIdentifiers()).isFalse();
			assertThat(registry.requestedSubscriptionId(this.prefix + "/o/#")).isNull();
			publishAndExpectOncePerListener(context, withoutIdentifiers);
		});
	}

	@Test
	void aListenerRegisteredLaterThatOverlapsGivesTheExistingFilterAnIdentifierWithoutResendingRetained() {
		String retainedTopic = this.prefix + "/s/x";
		try (MqttTestClient publisher = MqttTestClient.connect(HiveMqBroker.shared().tcpUrl())) {
			publisher.publish(retainedTopic, "retained", 1, true);
		}
		try {
			contextRunner(HiveMqBroker.shared()).withUserConfiguration(LazyListenerConfiguration.class)
				.run((context) -> {
					awaitSubscribed(context);
					Recorder recorder = context.getBean(Recorder.class);
					await().atMost(WAIT).until(() -> recorder.count("single") == 1);
					MqttListenerEndpointRegistry registry = registry(context);
					assertThat(registry.requestedSubscriptionId(retainedTopic)).isNull();
					context.getBean(LazyListener.class);
					awaitSubscribed(context, "single", "late");
					assertThat(registry.requestedSubscriptionId(retainedTopic)).isNotNull();
					assertThat(registry.requestedSubscriptionId(this.prefix + "/s/+")).isNotNull();
					// The new subscription gets the retained message; the replaced one not again
					await().atMost(WAIT).until(() -> recorder.count("late") == 1);
					try (MqttTestClient publisher = MqttTestClient.connect(HiveMqBroker.shared().tcpUrl())) {
						publish(publisher, retainedTopic, "both");
						publish(publisher, this.prefix + "/s/y", "late only");
					}
					await().atMost(WAIT).until(() -> recorder.count("late") == 3);
					await().during(QUIET)
						.atMost(WAIT)
						.until(() -> recorder.count("single") == 2 && recorder.count("late") == 3);
					assertThat(recorder.all("single")).containsExactly("retained", "both");
					assertThat(recorder.all("late")).containsExactly("retained", "both", "late only");
				});
		}
		finally {
			try (MqttTestClient publisher = MqttTestClient.connect(HiveMqBroker.shared().tcpUrl())) {
				publisher.publish(retainedTopic, new byte[0], 1, true, null);
			}
		}
	}

	private void publishAndExpectOncePerListener(ApplicationContext context,
			HiveMqBroker broker) {
		try (MqttTestClient publisher = MqttTestClient.connect(broker.tcpUrl())) {
			for (int i = 0; i < 3; i++) {
				publish(publisher, this.prefix + "/o/a/x", "m" + i);
			}
			publish(publisher, this.prefix + "/s/x", "s");
		}
		Recorder recorder = context.getBean(Recorder.class);
		List<String> expected = List.of("m0", "m1", "m2");
		await().atMost(WAIT)
			.until(() -> recorder.count("exact") == 3 && recorder.count("hash") == 3 && recorder.count("single") == 1);
		await().during(QUIET)
			.atMost(WAIT)
			.until(() -> recorder.count("exact") == 3 && recorder.count("hash") == 3 && recorder.count("single") == 1);
		assertThat(recorder.all("exact")).isEqualTo(expected);
		assertThat(recorder.all("hash")).isEqualTo(expected);
		assertThat(recorder.all("single")).containsExactly("s");
		assertThat(context.getBean(ClientManager.class).isConnected()).isTrue();
	}

	static class OverlappingListeners {

		private final Recorder recorder;

		OverlappingListeners(Recorder recorder) {
			this.recorder = recorder;
		}

		@MqttListener(id = "hash", topics = "${test.prefix}/o/#")
		void hash(String payload) {
			this.recorder.record("hash", payload);
		}

		@MqttListener(id = "exact", topics = "${test.prefix}/o/a/x")
		void exact(String payload) {
			this.recorder.record("exact", payload);
		}

		@MqttListener(id = "single", topics = "${test.prefix}/s/x")
		void single(String payload) {
			this.recorder.record("single", payload);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class LazyListenerConfiguration {

		@Bean
		@Lazy
		LazyListener lazyListener(Recorder recorder) {
			return new LazyListener(recorder);
		}

	}

	static class LazyListener {

		private final Recorder recorder;

		LazyListener(Recorder recorder) {
			this.recorder = recorder;
		}

		@MqttListener(id = "late", topics = "${test.prefix}/s/+")
		void late(String payload) {
			this.recorder.record("late", payload);
		}

	}

}
