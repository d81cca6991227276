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

import java.nio.file.Path;
import java.util.regex.Pattern;

import io.mqttboot.test.EnabledIfNats;
import io.mqttboot.test.NatsBroker;
import io.mqttboot.test.TestBroker;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.system.CapturedOutput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link Mqttv311ListenerIntegrationTests} on NATS's MQTT (3.1.1, QoS 0 and 1, no shared subscriptions).
 *
 * @author mqttboot
 */
@EnabledIfNats
class NatsMqttv311ListenerIntegrationTests extends Mqttv311ListenerIntegrationTests {

	private static final String OVERLAP = "NATS sends one copy of a message per matching subscription of the "
			+ "connection (MQTT 3.1.1 allows it), each at that subscription's QoS: overlapping listeners see it twice";

	@Override
	TestBroker broker() {
		return NatsBroker.shared();
	}

	@Override
	@Test
	@Disabled("NATS has no shared subscriptions")
	void sharedSubscriptionSplitsMessagesAcrossApplications() {
	}

	@Override
	@Test
	@Disabled("NATS closes the connection of a QoS 2 publisher: the test's publisher cannot send at QoS 2")
	void qos2ListenerReceivesAtQos2On311AtQos1On5AndTheConnectionStaysUp() {
	}

	@Override
	@Test
	@Disabled("Runs on a Mosquitto of its own: covered by the HiveMQ variant")
	void subscriptionsAreRestoredAfterTheBrokerRestarts() {
	}

	@Override
	@Test
	@Disabled("Runs on a Mosquitto of its own: covered by the HiveMQ variant")
	void refusedSubscriptionIsLoggedAndReported(Path directory, CapturedOutput output) {
	}

	@Override
	@Test
	@Disabled("Fails at startup, before any broker: covered by the HiveMQ variant")
	void invalidFilterFailsStartupNamingMethodAndFilter() {
	}

	@Override
	@Test
	@Disabled("Fails at startup, before any broker: covered by the HiveMQ variant")
	void mqtt5OptionsFailStartup() {
	}

	@Override
	@Test
	@Disabled(OVERLAP)
	void wildcardsAndTopicVariables() {
	}

	@Override
	@Test
	@Disabled(OVERLAP)
	void overlappingFiltersReachEachListenerOnce() {
	}

	@Override
	@Test
	@Disabled(OVERLAP)
	void springIntegrationAdapterAndHandlerWorkBesideListeners() {
	}

	@Override
	@Test
	@Disabled("NATS redelivers an unacknowledged QoS 1 message after its ack_wait (30 s), not when the session resumes")
	void qos1MessageIsRedeliveredWhenTheApplicationDiesBeforeTheListenerReturns() {
	}

	@Test
	void sharedSubscriptionsOnMqtt3AreWarnedOfOnce(CapturedOutput output) {
		contextRunner().withUserConfiguration(SharedListeners.class).run((context) -> {
			assertThat(context).hasNotFailed();
			String warning = "uses the shared subscription '$share/workers/";
			await().atMost(ListenerTestSupport.WAIT).until(() -> output.getAll().contains(warning));
			assertThat(output.getAll().split(Pattern.quote(warning), -1)).hasSize(2);
			assertThat(output).contains("on an MQTT 3.1.1 connection: shared subscriptions are an MQTT 5 feature")
				.contains("RabbitMQ and NATS do not");
		});
	}

	static class SharedListeners {

		@MqttListener(id = "first", topics = "${test.prefix}/jobs/a", group = "workers")
		void first(String payload) {
		}

		@MqttListener(id = "second", topics = "${test.prefix}/jobs/b", group = "workers")
		void second(String payload) {
		}

	}

}
