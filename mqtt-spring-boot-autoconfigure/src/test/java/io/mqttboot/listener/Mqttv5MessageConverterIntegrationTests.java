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

import io.mqttboot.core.MqttTemplate;
import io.mqttboot.test.MqttTestClient.Received;
import org.junit.jupiter.api.Test;

import static io.mqttboot.listener.ListenerTestSupport.WAIT;
import static io.mqttboot.listener.ListenerTestSupport.awaitSubscribed;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AbstractMessageConverterIntegrationTests} for MQTT 5: the content type set by
 * the converter is sent, and request/response reads the typed response with it.
 *
 * @author mqttboot
 */
class Mqttv5MessageConverterIntegrationTests extends AbstractMessageConverterIntegrationTests {

	@Override
	String protocolVersion() {
		return "5";
	}

	@Override
	void assertContentType(Received received, String contentType) {
		assertThat(received.properties().getContentType()).isEqualTo(contentType);
	}

	@Test
	void requestAndTypedResponseGoThroughTheApplicationConverter() {
		contextRunner().run((context) -> {
			awaitSubscribed(context);
			MqttTemplate template = context.getBean(MqttTemplate.class);
			assertThat(template.sendAndReceive(topic("temperature/attic"), new Temperature(12.5), Temperature.class,
					WAIT))
				.succeedsWithin(WAIT)
				.isEqualTo(new Temperature(13.5));
		});
	}

}
