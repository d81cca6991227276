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
package io.mqttboot.docs.publishing;

import java.time.Duration;

import io.mqttboot.core.MqttTemplate;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.integration.mqtt.support.MqttHeaders;
import org.springframework.integration.support.MessageBuilder;
import org.springframework.messaging.MessageHeaders;
import org.springframework.stereotype.Service;

/**
 * The example of {@code docs/publishing.md}, compiled as shown.
 *
 * @author mqttboot
 */
// tag::alerts[]
@Service
class Alerts {

	private static final Log log = LogFactory.getLog(Alerts.class);

	record Alert(String device, double celsius) {
	}

	record Temperature(double celsius) {
	}

	private final MqttTemplate template;

	Alerts(MqttTemplate template) {
		this.template = template;
	}

	void raise(Alert alert) {
		this.template.send("alerts/" + alert.device(), alert)               // JSON, QoS 1 (mqtt.template.default-qos)
			.whenComplete((ok, ex) -> {
				if (ex != null) {
					log.warn("alert not delivered", ex);
				}
			});
	}

	void status(String device) {
		this.template.send("devices/" + device + "/status", "online", 1, true);   // retained
	}

	void withProperties(byte[] image) {
		this.template.send(MessageBuilder.withPayload(image)
			.setHeader(MqttHeaders.TOPIC, "cameras/door/snapshot")
			.setHeader(MqttHeaders.QOS, 0)
			.setHeader(MqttHeaders.MESSAGE_EXPIRY_INTERVAL, 60L)                // MQTT 5
			.setHeader(MessageHeaders.CONTENT_TYPE, "image/jpeg")               // MQTT 5
			.setHeader("camera", "door")                                        // MQTT 5 user property
			.build());
	}

	Temperature ask() throws Exception {                                      // MQTT 5 request/response
		return this.template.sendAndReceive("rpc/temperature", "kitchen", Temperature.class, Duration.ofSeconds(5))
			.get();
	}

}
// end::alerts[]
