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
import io.mqttboot.event.MqttConnectedEvent;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The connection event example of {@code docs/connections.md}, compiled as shown.
 *
 * @author mqttboot
 */
// tag::events[]
@Component
class StatusAnnouncer {

	private final MqttTemplate template;

	private final String id = "gateway-1";

	StatusAnnouncer(MqttTemplate template) {
		this.template = template;
	}

	@EventListener
	void onConnected(MqttConnectedEvent event) {
		if (!event.isSessionPresent()) {
			this.template.send("devices/" + this.id + "/status", "online", 1, true).join();
		}
	}

}
// end::events[]
