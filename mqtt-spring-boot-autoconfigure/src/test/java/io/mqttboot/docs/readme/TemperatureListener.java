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
package io.mqttboot.docs.readme;

import java.time.Instant;

import io.mqttboot.listener.MqttListener;
import io.mqttboot.listener.TopicVariable;

import org.springframework.stereotype.Component;

/**
 * The listener example of the README, compiled as shown.
 *
 * @author mqttboot
 */
// tag::listener[]
@Component
public class TemperatureListener {

	public record Reading(double celsius, Instant timestamp) {
	}

	@MqttListener(topics = "sensors/{device}/temperature", qos = 1)
	public void onReading(Reading reading, @TopicVariable("device") String device) {
		// reading read from JSON, device bound from the topic; acknowledged after this method returns
	}

}
// end::listener[]
