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

import java.util.concurrent.CompletableFuture;

import io.mqttboot.core.MqttTemplate;

import org.springframework.stereotype.Service;

/**
 * The publishing example of the README, compiled as shown.
 *
 * @author mqttboot
 */
// tag::template[]
@Service
public class Alerts {

	public record Alert(String device, double celsius) {
	}

	private final MqttTemplate template;

	public Alerts(MqttTemplate template) {
		this.template = template;
	}

	public CompletableFuture<Void> raise(Alert alert) {
		// JSON, QoS 1; completes when the broker acknowledged it
		return this.template.send("alerts/" + alert.device(), alert);
	}

}
// end::template[]
