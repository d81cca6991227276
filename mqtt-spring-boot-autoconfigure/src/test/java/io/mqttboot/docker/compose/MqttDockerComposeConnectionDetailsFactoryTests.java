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

import java.lang.reflect.Constructor;
import java.util.List;
import java.util.Map;

import io.mqttboot.autoconfigure.MqttConnectionDetails;
import io.mqttboot.test.TestCertificates;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetailsFactories;
import org.springframework.boot.docker.compose.core.ConnectionPorts;
import org.springframework.boot.docker.compose.core.ImageReference;
import org.springframework.boot.docker.compose.core.RunningService;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionSource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link MqttDockerComposeConnectionDetailsFactory}, with a test double of
 * Spring Boot's {@link RunningService} (no Docker needed).
 *
 * @author mqttboot
 */
class MqttDockerComposeConnectionDetailsFactoryTests {

	private final MqttDockerComposeConnectionDetailsFactory factory = new MqttDockerComposeConnectionDetailsFactory();

	@ParameterizedTest
	@ValueSource(strings = { "eclipse-mosquitto:2.0", "hivemq/hivemq-ce:2025.5", "emqx/emqx:5.8",
			"docker.io/library/eclipse-mosquitto", "docker.io/emqx/emqx:latest" })
	void serviceOfMqttBrokerImageSuppliesUrlWithMappedPort(String image) {
		MqttConnectionDetails details = this.factory
			.getConnectionDetails(source(new TestService(image, Map.of(1883, 32768), Map.of())));
		assertThat(details).isNotNull();
		assertThat(details.getUrls()).containsExactly("mqtt://10.1.2.3:32768");
		assertThat(details.getUsername()).isNull();
		assertThat(details.getPassword()).isNull();
		assertThat(details.getSslBundle()).isNull();
	}

	@Test
	void serviceOfOtherImageIsNotAnMqttBroker() {
		assertThat(this.factory.getConnectionDetails(source(new TestService("redis:7", Map.of(6379, 32768), Map.of()))))
			.isNull();
	}

	@Test
	void serviceOfOtherImageLabelledAsMqttBrokerIsAccepted() {
		TestService service = new TestService("example/my-broker:1", Map.of(1883, 32769),
				Map.of("org.springframework.boot.service-connection", "eclipse-mosquitto"));
		assertThat(this.factory.getConnectionDetails(source(service)).getUrls())
			.containsExactly("mqtt://10.1.2.3:32769");
	}

	@Test
	void serviceWithoutPort1883Fails() {
		TestService service = new TestService("eclipse-mosquitto:2.0", Map.of(9001, 32768), Map.of());
		assertThatIllegalStateException().isThrownBy(() -> this.factory.getConnectionDetails(source(service)))
			.withMessageContaining("1883");
	}

	@Test
	void serviceWithSslBundleLabelsSuppliesTlsUrl() {
		TestCertificates certificates = TestCertificates.shared();
		TestService service = new TestService("eclipse-mosquitto:2.0", Map.of(1883, 32768, 8883, 32770),
				Map.of("org.springframework.boot.sslbundle.pem.truststore.certificate",
						certificates.caCrt().toAbsolutePath().toString()));
		MqttConnectionDetails details = this.factory.getConnectionDetails(source(service));
		assertThat(details.getUrls()).containsExactly("mqtts://10.1.2.3:32770");
		assertThat(details.getSslBundle()).isNotNull();
		assertThat(details.getSslBundle().getStores().getTrustStore()).isNotNull();
	}

	@Test
	void factoryIsRegisteredInSpringFactories() {
		Map<Class<?>, ConnectionDetails> details = new ConnectionDetailsFactories(null).getConnectionDetails(
				source(new TestService("hivemq/hivemq-ce:2025.5", Map.of(1883, 32768), Map.of())), true);
		assertThat(details).containsOnlyKeys(MqttConnectionDetails.class);
		assertThat(((MqttConnectionDetails) details.get(MqttConnectionDetails.class)).getUrls())
			.containsExactly("mqtt://10.1.2.3:32768");
	}

	/**
	 * Spring Boot creates the {@link DockerComposeConnectionSource} itself (package-private
	 * constructor): create one the same way.
	 */
	private static DockerComposeConnectionSource source(RunningService service) {
		try {
			Constructor<DockerComposeConnectionSource> constructor = DockerComposeConnectionSource.class
				.getDeclaredConstructor(RunningService.class, org.springframework.core.env.Environment.class);
			ReflectionUtils.makeAccessible(constructor);
			return constructor.newInstance(service, new StandardEnvironment());
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A running Compose service on host {@code 10.1.2.3}.
	 */
	private record TestService(String imageName, Map<Integer, Integer> portMappings,
			Map<String, String> labels) implements RunningService {

		@Override
		public String name() {
			return "broker";
		}

		@Override
		public ImageReference image() {
			return ImageReference.of(this.imageName);
		}

		@Override
		public String host() {
			return "10.1.2.3";
		}

		@Override
		public ConnectionPorts ports() {
			return new ConnectionPorts() {

				@Override
				public int get(int containerPort) {
					Integer hostPort = TestService.this.portMappings.get(containerPort);
					if (hostPort == null) {
						throw new IllegalStateException("No host port mapping found for container port " + containerPort);
					}
					return hostPort;
				}

				@Override
				public List<Integer> getAll() {
					return List.copyOf(TestService.this.portMappings.values());
				}

				@Override
				public List<Integer> getAll(@Nullable String protocol) {
					return getAll();
				}

			};
		}

		@Override
		public Map<String, @Nullable String> env() {
			return Map.of();
		}

	}

}
