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
package io.mqttboot.docs.listeners;

import java.time.Instant;
import java.util.Map;

import io.mqttboot.listener.MqttListener;
import io.mqttboot.listener.TopicVariable;

import org.springframework.integration.mqtt.support.MqttHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;
import org.springframework.messaging.handler.annotation.SendTo;
import org.springframework.stereotype.Component;

/**
 * The listener example of {@code docs/listeners.md}, compiled as shown.
 *
 * @author mqttboot
 */
// tag::listeners[]
@Component
class TemperatureListener {

	record Reading(double celsius, Instant timestamp) {
	}

	record Order(String item, int quantity) {
	}

	record Ack(String item) {
	}

	@MqttListener(topics = "sensors/{device}/temperature", qos = 1)
	void onReading(Reading reading, @TopicVariable("device") String device,
			@Header(MqttHeaders.RECEIVED_TOPIC) String topic) {
		// reading converted from JSON; device bound from the topic level
	}

	@MqttListener(topics = "${app.commands-topic:commands/#}", id = "commands", autoStartup = "false")
	void onCommand(Message<String> command) {
		// started later: registry.start("commands")
	}

	@MqttListener(topics = "jobs/#", group = "workers")        // $share/workers/jobs/#
	void onJob(byte[] payload, @Headers Map<String, Object> headers) {
		// one of the group's subscribers gets each job
	}

	@MqttListener(topics = "rpc/time")                         // MQTT 5 request/response
	String now() {
		return Instant.now().toString();                       // reply goes to the request's response topic
	}

	@MqttListener(topics = "orders/{id}/created")
	@SendTo("orders/{id}/ack")                                 // or to a fixed topic
	Ack onOrder(Order order) {
		return new Ack(order.item());
	}

}
// end::listeners[]
