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

import io.mqttboot.autoconfigure.embedded.EmbeddedMqttBroker;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestContextManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Test classes with the configuration of {@link EmbeddedMqttBrokerTests} share its
 * context, and so its broker and test client, through the test context cache; another
 * configuration gets a context and a broker of its own.
 *
 * @author mqttboot
 */
@SpringBootTest(classes = OrderApplication.class)
@io.mqttboot.test.EmbeddedMqttBroker
class EmbeddedMqttBrokerSharingTests {

	@Autowired
	private ApplicationContext context;

	@Autowired
	private EmbeddedMqttBroker broker;

	@Autowired
	private MqttTestClient mqtt;

	@Test
	void sameConfigurationSharesTheContextAndTheBroker() throws Exception {
		ApplicationContext other = contextOf(SameConfiguration.class);
		assertThat(other).isSameAs(this.context);
		assertThat(other.getBean(EmbeddedMqttBroker.class)).isSameAs(this.broker);
		assertThat(other.getBean(MqttTestClient.class)).isSameAs(this.mqtt);
	}

	@Test
	void otherConfigurationHasABrokerOfItsOwn() throws Exception {
		ApplicationContext other = contextOf(OtherConfiguration.class);
		assertThat(other).isNotSameAs(this.context);
		EmbeddedMqttBroker otherBroker = other.getBean(EmbeddedMqttBroker.class);
		assertThat(otherBroker.getPort()).isNotEqualTo(this.broker.getPort());
		assertThat(other.getBean(MqttTestClient.class).getServerUri()).endsWith(":" + otherBroker.getPort());
	}

	private static ApplicationContext contextOf(Class<?> testClass) throws Exception {
		return new TestContextManager(testClass).getTestContext().getApplicationContext();
	}

	@SpringBootTest(classes = OrderApplication.class)
	@io.mqttboot.test.EmbeddedMqttBroker
	static class SameConfiguration {

	}

	@SpringBootTest(classes = OrderApplication.class)
	@io.mqttboot.test.EmbeddedMqttBroker(readyTimeout = 20)
	static class OtherConfiguration {

	}

}
