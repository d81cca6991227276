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

import java.time.Duration;

import io.mqttboot.connection.MqttConnection;
import io.mqttboot.connection.MqttConnections;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.integration.mqtt.core.Mqttv5ClientManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The wait of {@link EmbeddedMqttBroker @EmbeddedMqttBroker} has a deadline: a
 * connection that never comes up fails the start of the context, naming the broker.
 *
 * @author mqttboot
 */
class MqttReadinessTests {

	@Test
	void connectionThatNeverComesUpFailsAfterTheTimeout() {
		MqttReadiness readiness = new MqttReadiness(Duration.ofMillis(200));
		readiness.setBeanFactory(beanFactoryWith(new Mqttv5ClientManager("tcp://127.0.0.1:1", "never")));
		long begin = System.nanoTime();
		assertThatIllegalStateException().isThrownBy(readiness::start)
			.withMessage("The MQTT test context was not ready within 200 ms (@EmbeddedMqttBroker(readyTimeout)): "
					+ "the connection to tcp://127.0.0.1:1 is not up");
		assertThat(Duration.ofNanos(System.nanoTime() - begin)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
		assertThat(readiness.isRunning()).isFalse();
	}

	@Test
	void contextWithoutMqttConnectionsIsReadyAtOnce() {
		MqttReadiness readiness = new MqttReadiness(Duration.ofSeconds(30));
		readiness.setBeanFactory(new DefaultListableBeanFactory());
		readiness.start();
		assertThat(readiness.isRunning()).isTrue();
	}

	private static DefaultListableBeanFactory beanFactoryWith(Mqttv5ClientManager clientManager) {
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		beanFactory.registerSingleton("mqttConnection", MqttConnection.of(MqttConnection.DEFAULT_NAME, clientManager));
		beanFactory.registerSingleton("mqttConnections", new MqttConnections(beanFactory));
		return beanFactory;
	}

}
