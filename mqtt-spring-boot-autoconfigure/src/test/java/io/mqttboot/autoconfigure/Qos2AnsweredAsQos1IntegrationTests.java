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
import java.util.regex.Pattern;

import io.mqttboot.core.MqttTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static io.mqttboot.autoconfigure.ConnectionTestSupport.WAIT;
import static io.mqttboot.autoconfigure.ConnectionTestSupport.awaitUp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A QoS 2 publish that the server acknowledges with a PUBACK (RabbitMQ's MQTT plugin
 * does: it has no QoS 2) counts as delivered at QoS 1: one WARN per connection, a health
 * detail, and the message is never sent again, not even from a persistent session.
 *
 * @author mqttboot
 */
@ExtendWith(OutputCaptureExtension.class)
class Qos2AnsweredAsQos1IntegrationTests {

	@Test
	void aQos2PublishAnsweredByPubackIsDeliveredAtQos1AndNeverSentAgain(CapturedOutput output) {
		try (PubackForQos2Server server = PubackForQos2Server.start()) {
			String clientId = ConnectionTestSupport.clientId("puback");
			ConnectionTestSupport.contextRunner("3.1.1")
				.withPropertyValues("mqtt.url=" + server.mqttUrl(), "mqtt.client-id=" + clientId,
						"mqtt.clean-start=false")
				.run((context) -> {
					awaitUp(context);
					MqttTemplate template = context.getBean(MqttTemplate.class);
					assertThat(template.send("jobs/a", "once", 2, false)).succeedsWithin(WAIT);
					assertThat(template.send("jobs/b", "once", 2, false)).succeedsWithin(WAIT);
					server.dropConnections();
					await().atMost(WAIT).until(() -> server.connections() == 2);
					awaitUp(context);
					await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> server.publishes().size() >= 2);
					assertThat(server.publishes()).as("no message is sent again").hasSize(2)
						.allMatch((publish) -> publish.connection() == 1);
					String warning = "acknowledged a QoS 2 publish with a PUBACK";
					assertThat(output.getAll().split(Pattern.quote(warning), -1)).hasSize(2);
					assertThat(awaitUp(context).getDetails()).containsEntry("qos2", "answered as QoS 1 by the broker");
				});
		}
	}

}
