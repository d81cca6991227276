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
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.mqttboot.event.MqttConnectedEvent;
import io.mqttboot.event.MqttSubscriptionFailedEvent;
import io.mqttboot.listener.AbstractMqttListenerIntegrationTests.SubscriptionEvents;
import io.mqttboot.listener.ListenerTestSupport.Recorder;
import io.mqttboot.test.EnabledIfMosquitto;
import io.mqttboot.test.HiveMqBroker;
import io.mqttboot.test.MosquittoBroker;
import io.mqttboot.test.MqttTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.event.EventListener;

import static io.mqttboot.listener.ListenerTestSupport.WAIT;
import static io.mqttboot.listener.ListenerTestSupport.awaitSubscribed;
import static io.mqttboot.listener.ListenerTestSupport.publish;
import static io.mqttboot.listener.ListenerTestSupport.registry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Listener subscriptions that an MQTT 5 broker announced it cannot serve (no wildcard or
 * shared subscriptions: it would answer the SUBSCRIBE with a disconnect) are not sent and
 * are reported; one it downgrades (a QoS above its Maximum QoS) is reported too.
 *
 * @author mqttboot
 */
@ExtendWith(OutputCaptureExtension.class)
class BrokerLimitsListenerIntegrationTests {

	private final String prefix = ListenerTestSupport.uniquePrefix("limits");

	@Test
	void wildcardAndSharedSubscriptionsAreNotSentToABrokerWithout(CapturedOutput output) {
		try (HiveMqBroker broker = HiveMqBroker.start(false,
				"<mqtt><shared-subscriptions><enabled>false</enabled></shared-subscriptions>"
						+ "<wildcard-subscriptions><enabled>false</enabled></wildcard-subscriptions></mqtt>")) {
			ListenerTestSupport.contextRunner("5", broker.mqttUrl(), this.prefix)
				.withUserConfiguration(LimitedListeners.class, SubscriptionEvents.class, Connections.class)
				.run((context) -> {
					awaitSubscribed(context, "plain");
					MqttListenerEndpointRegistry registry = registry(context);
					String shared = "$share/workers/" + this.prefix + "/jobs";
					String wildcard = this.prefix + "/+/state";
					await().atMost(WAIT).until(() -> registry.getFailedSubscriptions().size() == 2);
					Map<String, String> failed = registry.getFailedSubscriptions();
					assertThat(failed.get(shared)).contains("does not serve shared subscriptions");
					assertThat(failed.get(wildcard)).contains("does not serve wildcard subscriptions");
					assertThat(output).contains("MQTT listener(s) [shared] not subscribed to '" + shared + "'")
						.contains("MQTT listener(s) [wildcard] not subscribed to '" + wildcard + "'");
					List<MqttSubscriptionFailedEvent> events = context.getBean(SubscriptionEvents.class).events;
					await().atMost(WAIT).until(() -> events.size() == 2);
					assertThat(events).extracting(MqttSubscriptionFailedEvent::getTopicFilter)
						.containsExactlyInAnyOrder(shared, wildcard);
					try (MqttTestClient client = MqttTestClient.connect(broker.tcpUrl())) {
						publish(client, this.prefix + "/plain", "still connected");
						assertThat(context.getBean(Recorder.class).next("plain")).isEqualTo("still connected");
					}
					assertThat(context.getBean(Connections.class).count()).isEqualTo(1);
				});
		}
	}

	@Test
	@EnabledIfMosquitto
	void aSubscriptionAboveTheMaximumQosIsReportedAsDowngraded(CapturedOutput output) {
		try (MosquittoBroker broker = MosquittoBroker.builder().maxQos(0).start()) {
			ListenerTestSupport.contextRunner("5", broker.mqttUrl(), this.prefix)
				.withUserConfiguration(LimitedListeners.class, SubscriptionEvents.class)
				.run((context) -> {
					awaitSubscribed(context, "plain");
					MqttListenerEndpointRegistry registry = registry(context);
					String plain = this.prefix + "/plain";
					await().atMost(WAIT).until(() -> registry.getFailedSubscriptions().containsKey(plain));
					assertThat(registry.getFailedSubscriptions().get(plain))
						.isEqualTo("granted QoS 0 instead of 1 (the broker's Maximum QoS is 0)");
					assertThat(output).contains("downgraded the subscription to '" + plain
							+ "' of listener(s) [plain] from QoS 1 to QoS 0 (the broker's Maximum QoS is 0)");
					List<MqttSubscriptionFailedEvent> events = context.getBean(SubscriptionEvents.class).events;
					await().atMost(WAIT)
						.until(() -> events.stream().anyMatch((event) -> plain.equals(event.getTopicFilter())));
				});
		}
	}

	static class LimitedListeners {

		private final Recorder recorder;

		LimitedListeners(Recorder recorder) {
			this.recorder = recorder;
		}

		@MqttListener(id = "plain", topics = "${test.prefix}/plain", qos = 1)
		void plain(String payload) {
			this.recorder.record("plain", payload);
		}

		@MqttListener(id = "shared", topics = "${test.prefix}/jobs", group = "workers", qos = 1)
		void shared(String payload) {
		}

		@MqttListener(id = "wildcard", topics = "${test.prefix}/+/state", qos = 1)
		void wildcard(String payload) {
		}

	}

	static class Connections {

		private final AtomicInteger count = new AtomicInteger();

		@EventListener
		void onConnected(MqttConnectedEvent event) {
			this.count.incrementAndGet();
		}

		int count() {
			return this.count.get();
		}

	}

}
