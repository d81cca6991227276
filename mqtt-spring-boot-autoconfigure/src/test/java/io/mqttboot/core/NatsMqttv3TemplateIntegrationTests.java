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

import java.util.concurrent.CompletableFuture;

import io.mqttboot.test.EnabledIfNats;
import io.mqttboot.test.MqttTestClient;
import io.mqttboot.test.MqttTestClient.Received;
import io.mqttboot.test.NatsBroker;
import io.mqttboot.test.TestBroker;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Mqttv3TemplateIntegrationTests} on NATS's MQTT (3.1.1, QoS 0 and 1).
 *
 * @author mqttboot
 */
@EnabledIfNats
class NatsMqttv3TemplateIntegrationTests extends Mqttv3TemplateIntegrationTests {

	@Override
	protected TestBroker broker() {
		return NatsBroker.shared();
	}

	@Override
	@Test
	@Disabled("NATS has no QoS 2: futureCompletesOnAcknowledgementAtQos0And1 instead")
	void futureCompletesOnAcknowledgementAtEachQos() {
	}

	@Test
	void futureCompletesOnAcknowledgementAtQos0And1() {
		String topic = topic("acks");
		try (MqttTestClient subscriber = subscriber(topic, 1)) {
			for (int qos = 0; qos <= 1; qos++) {
				CompletableFuture<Void> sent = this.template.send(topic, "qos " + qos, qos, false);
				assertThat(sent).succeedsWithin(TIMEOUT);
				Received received = subscriber.awaitMessage(topic, TIMEOUT);
				assertThat(received.payloadAsString()).isEqualTo("qos " + qos);
				assertThat(received.qos()).isEqualTo(qos);
			}
		}
	}

	@Override
	@Test
	@Disabled("NATS has no QoS 2, the test sends a retained message at QoS 2")
	void retainedMessageReachesALateSubscriber() {
	}

	@Override
	@Test
	@Disabled("Runs on a HiveMQ of its own: covered by the HiveMQ variant")
	void burstLargerThanTheInflightWindowWaitsInsteadOfFailing() {
	}

	@Override
	@Test
	@Disabled("No broker involved: covered by the HiveMQ variant")
	void notConnectedWithoutABufferFailsFastWithAClearException() {
	}

}
