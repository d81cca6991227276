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
package io.mqttboot.docs.testing;

import io.mqttboot.test.AutoConfigureMqttTestClient;
import io.mqttboot.test.MqttTestClient;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;

/**
 * The Testcontainers example of {@code docs/testing.md}, compiled: the set-up only (no
 * test method, so nothing starts).
 *
 * @author mqttboot
 */
// tag::containers[]
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest
@AutoConfigureMqttTestClient
class TelemetryContainerTests {

	@Container
	@ServiceConnection
	static GenericContainer<?> mosquitto = new GenericContainer<>("eclipse-mosquitto:2")
		.withExposedPorts(1883)
		.withCommand("mosquitto", "-c", "/mosquitto-no-auth.conf");

	@Autowired
	MqttTestClient mqtt;

}
// end::containers[]
