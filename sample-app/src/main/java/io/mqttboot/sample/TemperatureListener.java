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
package io.mqttboot.sample;

import io.mqttboot.core.MqttTemplate;
import io.mqttboot.listener.MqttListener;
import io.mqttboot.listener.TopicVariable;

import org.springframework.stereotype.Component;

/**
 * Receives the readings of every device, keeps them in the {@link DeviceRegistry}, and
 * publishes an {@link Alert} when one crosses the threshold.
 *
 * @author mqttboot
 */
@Component
class TemperatureListener {

	private final DeviceRegistry registry;

	private final MqttTemplate template;

	private final SampleProperties properties;

	TemperatureListener(DeviceRegistry registry, MqttTemplate template, SampleProperties properties) {
		this.registry = registry;
		this.template = template;
		this.properties = properties;
	}

	@MqttListener(id = "temperature", topics = "sensors/{device}/temperature", qos = 1)
	void onReading(Reading reading, @TopicVariable("device") String device) {
		this.registry.record(device, reading);
		if (reading.celsius() > this.properties.alertThreshold()) {
			this.template.send("alerts/" + device + "/temperature",
					new Alert(device, reading.celsius(), this.properties.alertThreshold()));
		}
	}

	@MqttListener(id = "status", topics = "devices/{device}/status")
	void onStatus(String status, @TopicVariable("device") String device) {
		this.registry.status(device, status);
	}

}
