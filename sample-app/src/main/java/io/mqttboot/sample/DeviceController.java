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

import java.util.Map;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * REST view of the devices: {@code GET /devices} and {@code GET /devices/{device}}.
 *
 * @author mqttboot
 */
@RestController
class DeviceController {

	private final DeviceRegistry registry;

	DeviceController(DeviceRegistry registry) {
		this.registry = registry;
	}

	@GetMapping("/devices")
	Map<String, DeviceRegistry.DeviceState> devices() {
		return this.registry.snapshot();
	}

	@GetMapping("/devices/{device}")
	ResponseEntity<DeviceRegistry.DeviceState> device(@PathVariable String device) {
		DeviceRegistry.DeviceState state = this.registry.snapshot().get(device);
		return (state != null) ? ResponseEntity.ok(state) : ResponseEntity.notFound().build();
	}

}
