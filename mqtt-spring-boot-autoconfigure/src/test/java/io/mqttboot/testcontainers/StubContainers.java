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

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.hivemq.HiveMQContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Containers that never start: they report their image name, a fixed host and mapped
 * ports (1883 to the given port, 8883 to the next one; HiveMQ: 1883 only) without asking
 * Docker, so that service connections can be tested without
 * Docker.
 *
 * @author mqttboot
 */
final class StubContainers {

	private StubContainers() {
	}

	static GenericContainer<?> generic(String image, String host, int mappedPort) {
		return new StubGenericContainer(image, host, mappedPort);
	}

	static HiveMQContainer hiveMq(String host, int mappedPort) {
		return new StubHiveMQContainer(host, mappedPort);
	}

	private static final class StubGenericContainer extends GenericContainer<StubGenericContainer> {

		private final String image;

		private final String host;

		private final int mappedPort;

		StubGenericContainer(String image, String host, int mappedPort) {
			super(DockerImageName.parse(image));
			this.image = image;
			this.host = host;
			this.mappedPort = mappedPort;
			addExposedPort(1883);
		}

		@Override
		public void start() {
		}

		@Override
		public void stop() {
		}

		@Override
		public String getDockerImageName() {
			return this.image;
		}

		@Override
		public String getHost() {
			return this.host;
		}

		@Override
		public Integer getMappedPort(int originalPort) {
			return switch (originalPort) {
				case 1883 -> this.mappedPort;
				case 8883 -> this.mappedPort + 1;
				default -> throw new IllegalArgumentException("Port " + originalPort + " is not mapped");
			};
		}

	}

	private static final class StubHiveMQContainer extends HiveMQContainer {

		private final String host;

		private final int mappedPort;

		StubHiveMQContainer(String host, int mappedPort) {
			super(DockerImageName.parse("hivemq/hivemq-ce:2025.5"));
			this.host = host;
			this.mappedPort = mappedPort;
		}

		@Override
		public void start() {
		}

		@Override
		public void stop() {
		}

		@Override
		public String getDockerImageName() {
			return "hivemq/hivemq-ce:2025.5";
		}

		@Override
		public String getHost() {
			return this.host;
		}

		@Override
		public Integer getMappedPort(int originalPort) {
			if (originalPort != 1883) {
				throw new IllegalArgumentException("Port " + originalPort + " is not mapped");
			}
			return this.mappedPort;
		}

	}

}
