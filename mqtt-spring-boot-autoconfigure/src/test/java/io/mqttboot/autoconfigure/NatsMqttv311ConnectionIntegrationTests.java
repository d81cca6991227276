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

import io.mqttboot.test.EnabledIfNats;
import io.mqttboot.test.NatsBroker;
import io.mqttboot.test.TestBroker;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.system.CapturedOutput;

/**
 * {@link Mqttv311ConnectionIntegrationTests} on NATS's MQTT (3.1.1 only, no WebSocket for MQTT in 2.9).
 *
 * @author mqttboot
 */
@EnabledIfNats
class NatsMqttv311ConnectionIntegrationTests extends Mqttv311ConnectionIntegrationTests {

	@Override
	TestBroker broker() {
		return NatsBroker.shared();
	}

	@Override
	@Test
	@Disabled("NATS 2.9 has no MQTT over WebSocket")
	void webSocketUrlWithoutPathUsesSlashMqtt(CapturedOutput output) {
	}

	@Override
	@Test
	@Disabled("NATS 2.9 has no MQTT over WebSocket")
	void webSocketUrlWithAnotherPathIsRefusedByABrokerServingSlashMqtt(CapturedOutput output) {
	}

	@Override
	@Test
	@Disabled("NATS supports MQTT 3.1.1 only")
	void mqtt31Connects() {
	}

	@Override
	@Test
	@Disabled("No broker involved beyond the connection: covered on HiveMQ")
	void theClientManagerIsTheMqtt3OneWithProtocolLevel4() {
	}

}
