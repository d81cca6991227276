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

package io.mqttboot.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of MQTT: the default connection ({@code mqtt.*}), named
 * connections ({@code mqtt.connections.<name>.*}, with the same keys) and the embedded
 * broker.
 *
 * @author mqttboot
 */
@ConfigurationProperties(MqttProperties.PREFIX)
public class MqttProperties extends MqttConnectionProperties {

	/**
	 * Prefix of every MQTT property.
	 */
	public static final String PREFIX = "mqtt";

	/**
	 * Whether to enable the MQTT auto-configuration.
	 */
	private boolean enabled = true;

	/**
	 * Named connections beside the default one, by name. Each takes the keys of 'mqtt.*'
	 * (except 'enabled', 'embedded' and 'connections') and gets its own beans
	 * '<name>MqttClientManager', '<name>MqttConnection' and '<name>MqttTemplate'.
	 */
	private final Map<String, MqttConnectionProperties> connections = new LinkedHashMap<>();

	private final Embedded embedded = new Embedded();

	private final Observations observations = new Observations();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Map<String, MqttConnectionProperties> getConnections() {
		return this.connections;
	}

	public Embedded getEmbedded() {
		return this.embedded;
	}

	public Observations getObservations() {
		return this.observations;
	}

	/**
	 * Micrometer observations of every connection, when an ObservationRegistry is there.
	 */
	public static class Observations {

		/**
		 * Whether to observe sends ('mqtt.publish') and listener invocations
		 * ('mqtt.listener'), which also carries traces through MQTT 5 user properties.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * In-process broker, when its library is on the class path.
	 */
	public static class Embedded {

		/**
		 * Whether to start an in-process broker and point 'mqtt.url' at it.
		 */
		private boolean enabled = false;

		/**
		 * Port of the in-process broker on the loopback interface; 0 picks a free port.
		 */
		private int port = 1883;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getPort() {
			return this.port;
		}

		public void setPort(int port) {
			this.port = port;
		}

	}

}
