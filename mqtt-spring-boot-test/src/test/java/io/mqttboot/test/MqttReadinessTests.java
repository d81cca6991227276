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
package io.mqttboot.test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;

import io.mqttboot.autoconfigure.MqttConnectionDetails;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestContextManager;

import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The wait of {@link EmbeddedMqttBroker @EmbeddedMqttBroker} for the connection has a
 * deadline: a connection that never comes up fails the context, naming the broker and
 * the failure.
 *
 * @author mqttboot
 */
class MqttReadinessTests {

	@Test
	void contextThatNeverConnectsFailsAfterTheTimeout() {
		TestContextManager manager = new TestContextManager(UnreachableBroker.class);
		assertThatIllegalStateException().isThrownBy(() -> manager.getTestContext().getApplicationContext())
			.havingRootCause()
			.withMessageContaining("The MQTT test context was not ready within 1 s")
			.withMessageContaining("the connection to mqtt://127.0.0.1:" + UnreachableBrokerConfiguration.port
					+ " is not up")
			.withMessageContaining("last connection failure");
	}

	@SpringBootTest(classes = OrderApplication.class, properties = "mqtt.reconnect.min-delay=100ms")
	@EmbeddedMqttBroker(readyTimeout = 1)
	@Import(UnreachableBrokerConfiguration.class)
	static class UnreachableBroker {

	}

	@TestConfiguration(proxyBeanMethods = false)
	static class UnreachableBrokerConfiguration {

		static final int port = unusedPort();

		@Bean
		MqttConnectionDetails unreachableConnectionDetails() {
			return () -> List.of("mqtt://127.0.0.1:" + port);
		}

		private static int unusedPort() {
			try (ServerSocket socket = new ServerSocket()) {
				socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
				return socket.getLocalPort();
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
