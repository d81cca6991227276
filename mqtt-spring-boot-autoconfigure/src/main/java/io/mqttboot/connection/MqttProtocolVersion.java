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
package io.mqttboot.connection;

import org.jspecify.annotations.Nullable;

/**
 * MQTT protocol versions the starter speaks.
 *
 * @author mqttboot
 */
public enum MqttProtocolVersion {

	/**
	 * MQTT 5.0.
	 */
	V5("5", 5),

	/**
	 * MQTT 3.1.1.
	 */
	V3_1_1("3.1.1", 4),

	/**
	 * MQTT 3.1.
	 */
	V3_1("3.1", 3);

	private final String value;

	private final int protocolLevel;

	MqttProtocolVersion(String value, int protocolLevel) {
		this.value = value;
		this.protocolLevel = protocolLevel;
	}

	/**
	 * Return the version as written in configuration, for example {@code 3.1.1}.
	 * @return the version
	 */
	public String value() {
		return this.value;
	}

	/**
	 * Return the protocol level sent in CONNECT (5, 4 or 3).
	 * @return the protocol level
	 */
	public int protocolLevel() {
		return this.protocolLevel;
	}

	/**
	 * Return whether this is MQTT 5.
	 * @return whether this is MQTT 5
	 */
	public boolean isV5() {
		return this == V5;
	}

	/**
	 * Return the version written as {@code value}, or {@code null}.
	 * @param value the version as written in configuration ({@code 5}, {@code 5.0},
	 * {@code 3.1.1} or {@code 3.1})
	 * @return the version or {@code null} when unknown
	 */
	public static @Nullable MqttProtocolVersion fromValue(String value) {
		String trimmed = value.trim();
		for (MqttProtocolVersion version : values()) {
			if (version.value.equals(trimmed)) {
				return version;
			}
		}
		return ("5.0".equals(trimmed)) ? V5 : null;
	}

	@Override
	public String toString() {
		return this.value;
	}

}
