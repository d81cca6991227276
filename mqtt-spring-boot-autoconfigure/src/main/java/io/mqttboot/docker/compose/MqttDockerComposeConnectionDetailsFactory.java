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
package io.mqttboot.docker.compose;

import java.util.List;

import io.mqttboot.autoconfigure.MqttConnectionDetails;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.docker.compose.core.RunningService;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionDetailsFactory;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionSource;
import org.springframework.boot.ssl.SslBundle;

/**
 * {@link DockerComposeConnectionDetailsFactory} to create {@link MqttConnectionDetails} for
 * a Docker Compose service running Eclipse Mosquitto, HiveMQ CE or EMQX:
 * {@code mqtt://<host>:<port mapped to 1883>}, anonymous (none of these images takes MQTT
 * credentials from its environment); with an SSL bundle defined by the service's
 * {@code org.springframework.boot.sslbundle.*} labels,
 * {@code mqtts://<host>:<port mapped to 8883>}.
 *
 * @author mqttboot
 */
class MqttDockerComposeConnectionDetailsFactory extends DockerComposeConnectionDetailsFactory<MqttConnectionDetails> {

	private static final String[] MQTT_CONTAINER_NAMES = { "eclipse-mosquitto", "hivemq/hivemq-ce", "emqx/emqx" };

	/** Port of the plain MQTT listener inside the containers. */
	private static final int MQTT_PORT = 1883;

	/** Port of the MQTT over TLS listener inside the containers. */
	private static final int MQTTS_PORT = 8883;

	MqttDockerComposeConnectionDetailsFactory() {
		super(MQTT_CONTAINER_NAMES);
	}

	@Override
	protected MqttConnectionDetails getDockerComposeConnectionDetails(DockerComposeConnectionSource source) {
		return new MqttDockerComposeConnectionDetails(source.getRunningService());
	}

	/**
	 * {@link MqttConnectionDetails} backed by an MQTT broker {@link RunningService}.
	 */
	private static final class MqttDockerComposeConnectionDetails extends DockerComposeConnectionDetails
			implements MqttConnectionDetails {

		private final String url;

		private final @Nullable SslBundle sslBundle;

		MqttDockerComposeConnectionDetails(RunningService service) {
			super(service);
			this.sslBundle = getSslBundle(service);
			this.url = (this.sslBundle != null) ? "mqtts://" + service.host() + ":" + service.ports().get(MQTTS_PORT)
					: "mqtt://" + service.host() + ":" + service.ports().get(MQTT_PORT);
		}

		@Override
		public List<String> getUrls() {
			return List.of(this.url);
		}

		@Override
		public @Nullable SslBundle getSslBundle() {
			return this.sslBundle;
		}

	}

}
