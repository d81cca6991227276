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
package io.mqttboot.docs.connections;

import io.mqttboot.core.MqttTemplate;
import io.mqttboot.listener.MqttListener;
import io.mqttboot.listener.TopicVariable;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.messaging.handler.annotation.SendTo;
import org.springframework.stereotype.Component;

/**
 * The example of named connections in {@code docs/connections.md}: a bridge between a
 * plant's own broker (the default connection) and a cloud broker (the named connection
 * {@code cloud}). Kept here so that the example compiles as shown; the named connections
 * integration tests run it.
 *
 * @author mqttboot
 */
// tag::bridge[]
@Component
public class EdgeToCloudBridge {

	private final MqttTemplate cloud;

	public EdgeToCloudBridge(@Qualifier("cloudMqttTemplate") MqttTemplate cloud) {
		this.cloud = cloud;
	}

	// On the default connection (mqtt.url): readings from the plant's broker
	@MqttListener(topics = "plant/{device}/temperature")
	public void forward(String reading, @TopicVariable("device") String device) {
		this.cloud.send("plants/7/" + device + "/temperature", reading);
	}

	// On the named connection (mqtt.connections.cloud.url): commands from the cloud,
	// acknowledged on the same connection
	@MqttListener(topics = "plants/7/{device}/command", connection = "cloud")
	@SendTo("plants/7/{device}/ack")
	public String command(String command, @TopicVariable("device") String device) {
		return "done: " + command;
	}

}
// end::bridge[]
