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
import org.testcontainers.containers.Container;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionDetailsFactory;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionSource;
import org.springframework.util.ClassUtils;

/**
 * {@link ContainerConnectionDetailsFactory} to create {@link MqttConnectionDetails} from a
 * {@link org.springframework.boot.testcontainers.service.connection.ServiceConnection
 * &#64;ServiceConnection}-annotated container running Eclipse Mosquitto, HiveMQ CE or EMQX:
 * {@code mqtt://<host>:<port mapped to 1883>}, anonymous; with an SSL bundle
 * ({@code @PemKeyStore}, {@code @PemTrustStore}, ... on the container)
 * {@code mqtts://<host>:<port mapped to 8883>}. Containers of the Testcontainers
 * HiveMQ module ({@code HiveMQContainer}) are left to
 * {@link HiveMQContainerConnectionDetailsFactory}.
 *
 * @author mqttboot
 */
class MqttContainerConnectionDetailsFactory
		extends ContainerConnectionDetailsFactory<Container<?>, MqttConnectionDetails> {

	/** Port of the plain MQTT listener inside the containers. */
	private static final int MQTT_PORT = 1883;

	/** Port of the MQTT over TLS listener inside the containers. */
	private static final int MQTTS_PORT = 8883;

	private static final String HIVEMQ_CONTAINER = "org.testcontainers.hivemq.HiveMQContainer";

	MqttContainerConnectionDetailsFactory() {
		super(List.of("eclipse-mosquitto", "hivemq/hivemq-ce", "emqx/emqx"));
	}

	@Override
	protected boolean sourceAccepts(ContainerConnectionSource<Container<?>> source, Class<?> requiredContainerType,
			Class<?> requiredConnectionDetailsType) {
		return super.sourceAccepts(source, requiredContainerType, requiredConnectionDetailsType)
				&& !isHiveMqContainer(source, requiredConnectionDetailsType);
	}

	private static boolean isHiveMqContainer(ContainerConnectionSource<Container<?>> source,
			Class<?> requiredConnectionDetailsType) {
		ClassLoader classLoader = MqttContainerConnectionDetailsFactory.class.getClassLoader();
		if (!ClassUtils.isPresent(HIVEMQ_CONTAINER, classLoader)) {
			return false;
		}
		Class<?> hiveMqContainerType = ClassUtils.resolveClassName(HIVEMQ_CONTAINER, classLoader);
		return source.accepts(ANY_CONNECTION_NAME, hiveMqContainerType, requiredConnectionDetailsType);
	}

	@Override
	protected @Nullable MqttConnectionDetails getContainerConnectionDetails(
			ContainerConnectionSource<Container<?>> source) {
		return new MqttContainerConnectionDetails(source);
	}

	/**
	 * {@link MqttConnectionDetails} backed by a {@link ContainerConnectionSource}.
	 */
	private static final class MqttContainerConnectionDetails extends ContainerConnectionDetails<Container<?>>
			implements MqttConnectionDetails {

		private MqttContainerConnectionDetails(ContainerConnectionSource<Container<?>> source) {
			super(source);
		}

		@Override
		public List<String> getUrls() {
			Container<?> container = getContainer();
			if (getSslBundle() != null) {
				return List.of("mqtts://" + container.getHost() + ":" + container.getMappedPort(MQTTS_PORT));
			}
			return List.of("mqtt://" + container.getHost() + ":" + container.getMappedPort(MQTT_PORT));
		}

		@Override
		public @Nullable SslBundle getSslBundle() {
			return super.getSslBundle();
		}

	}

}
