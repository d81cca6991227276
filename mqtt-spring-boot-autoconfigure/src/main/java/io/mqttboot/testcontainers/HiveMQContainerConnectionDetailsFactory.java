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
package io.mqttboot.testcontainers;

import java.util.List;

import io.mqttboot.autoconfigure.MqttConnectionDetails;
import org.jspecify.annotations.Nullable;
import org.testcontainers.hivemq.HiveMQContainer;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionDetailsFactory;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionSource;

/**
 * {@link ContainerConnectionDetailsFactory} to create {@link MqttConnectionDetails} from a
 * {@link org.springframework.boot.testcontainers.service.connection.ServiceConnection
 * &#64;ServiceConnection}-annotated {@link HiveMQContainer} of the Testcontainers HiveMQ
 * module: {@code mqtt://<host>:<MQTT port>}, anonymous.
 *
 * @author mqttboot
 */
class HiveMQContainerConnectionDetailsFactory
		extends ContainerConnectionDetailsFactory<HiveMQContainer, MqttConnectionDetails> {

	HiveMQContainerConnectionDetailsFactory() {
		super(ANY_CONNECTION_NAME, "org.testcontainers.hivemq.HiveMQContainer");
	}

	@Override
	protected @Nullable MqttConnectionDetails getContainerConnectionDetails(
			ContainerConnectionSource<HiveMQContainer> source) {
		return new HiveMQContainerConnectionDetails(source);
	}

	/**
	 * {@link MqttConnectionDetails} backed by a {@link ContainerConnectionSource}.
	 */
	private static final class HiveMQContainerConnectionDetails extends ContainerConnectionDetails<HiveMQContainer>
			implements MqttConnectionDetails {

		private HiveMQContainerConnectionDetails(ContainerConnectionSource<HiveMQContainer> source) {
			super(source);
		}

		@Override
		public List<String> getUrls() {
			HiveMQContainer container = getContainer();
			return List.of("mqtt://" + container.getHost() + ":" + container.getMqttPort());
		}

		@Override
		public @Nullable SslBundle getSslBundle() {
			return null;
		}

	}

}
