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
package io.mqttboot.autoconfigure.embedded;

import java.util.List;

import io.mqttboot.autoconfigure.MqttConnectionDetails;
import io.mqttboot.autoconfigure.MqttProperties;
import org.jspecify.annotations.Nullable;

/**
 * {@link MqttConnectionDetails} pointing at the {@link EmbeddedMqttBroker}: its URL,
 * with the username and password of the {@code mqtt.*} properties (the broker accepts
 * any). No SSL bundle, the broker has a plain TCP listener only.
 *
 * @author mqttboot
 */
class EmbeddedMqttConnectionDetails implements MqttConnectionDetails {

	private final EmbeddedMqttBroker broker;

	private final MqttProperties properties;

	EmbeddedMqttConnectionDetails(EmbeddedMqttBroker broker, MqttProperties properties) {
		this.broker = broker;
		this.properties = properties;
	}

	@Override
	public List<String> getUrls() {
		return List.of(this.broker.getUrl());
	}

	@Override
	public @Nullable String getUsername() {
		return this.properties.getUsername();
	}

	@Override
	public @Nullable String getPassword() {
		return this.properties.getPassword();
	}

}
