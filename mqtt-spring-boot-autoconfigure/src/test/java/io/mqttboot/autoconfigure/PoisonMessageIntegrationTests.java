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
package io.mqttboot.autoconfigure;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import io.mqttboot.core.MqttPublishException;
import io.mqttboot.core.MqttTemplate;
import io.mqttboot.event.MqttConnectedEvent;
import io.mqttboot.test.EnabledIfNats;
import io.mqttboot.test.NatsBroker;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationListener;

import static io.mqttboot.autoconfigure.ConnectionTestSupport.WAIT;
import static io.mqttboot.autoconfigure.ConnectionTestSupport.awaitUp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A message the broker answers by closing the connection (a poison message: QoS 2 on
 * NATS, which has no QoS 2) is not sent again and again on every reconnection: after the
 * second closed connection it fails its future naming the message, one ERROR says so,
 * and the connection stays up, with a clean or a persistent session.
 *
 * @author mqttboot
 */
@EnabledIfNats
@ExtendWith(OutputCaptureExtension.class)
class PoisonMessageIntegrationTests {

	@ParameterizedTest(name = "clean start {0}")
	@ValueSource(booleans = { true, false })
	void aMessageTheBrokerClosesTheConnectionOnIsNotSentForever(boolean cleanStart, CapturedOutput output) {
		NatsBroker broker = NatsBroker.shared();
		String clientId = ConnectionTestSupport.clientId("poison");
		String topic = "poison/" + clientId;
		ConnectionTestSupport.contextRunner("3.1.1")
			.withPropertyValues("mqtt.url=" + broker.mqttUrl(), "mqtt.client-id=" + clientId,
					"mqtt.clean-start=" + cleanStart, "mqtt.template.send-timeout=30s")
			.withBean(Connections.class)
			.run((context) -> {
				awaitUp(context);
				MqttTemplate template = context.getBean(MqttTemplate.class);
				String expected = "The MQTT broker closed the connection right after receiving the message to '"
						+ topic + "' (QoS 2, 6 bytes), twice";
				assertThat(template.send(topic, "poison", 2, false)).failsWithin(Duration.ofSeconds(30))
					.withThrowableOfType(ExecutionException.class)
					.havingCause()
					.isInstanceOf(MqttPublishException.class)
					.withMessageContaining(expected);
				awaitUp(context);
				Connections connections = context.getBean(Connections.class);
				int count = connections.count();
				assertThat(count).isLessThanOrEqualTo(4);
				await().during(Duration.ofSeconds(3)).atMost(WAIT).until(() -> connections.count() == count);
				assertThat(template.send(topic, "fine", 1, false)).succeedsWithin(WAIT);
				assertThat(output.getAll().split(Pattern.quote("ERROR"), -1).length - 1).isEqualTo(1);
				assertThat(output.getAll()).containsPattern("ERROR.*" + Pattern.quote(expected));
			});
	}

	/**
	 * Counts the connections the broker accepted.
	 */
	static class Connections implements ApplicationListener<MqttConnectedEvent> {

		private final AtomicInteger count = new AtomicInteger();

		@Override
		public void onApplicationEvent(MqttConnectedEvent event) {
			this.count.incrementAndGet();
		}

		int count() {
			return this.count.get();
		}

	}

}
