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

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.mqttboot.connection.ReconnectingMqttv3ClientManager;
import io.mqttboot.test.MqttTestClient;
import org.eclipse.paho.client.mqttv3.IMqttAsyncClient;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

import org.springframework.context.ApplicationContext;
import org.springframework.integration.mqtt.core.ClientManager;
import org.springframework.integration.mqtt.core.Mqttv3ClientManager;

import static io.mqttboot.autoconfigure.ConnectionTestSupport.WAIT;
import static io.mqttboot.autoconfigure.ConnectionTestSupport.awaitUp;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AbstractConnectionIntegrationTests} for MQTT 3.1.1 (Clean Session, no session
 * expiry), plus MQTT 3.1.
 *
 * @author mqttboot
 */
class Mqttv311ConnectionIntegrationTests extends AbstractConnectionIntegrationTests {

	@Override
	String protocolVersion() {
		return "3.1.1";
	}

	@Override
	String[] persistentSessionProperties() {
		return new String[] { "mqtt.clean-start=false" };
	}

	@Override
	void subscribe(ApplicationContext context, String filter, int qos) throws Exception {
		IMqttToken token = context.getBean(IMqttAsyncClient.class).subscribe(filter, qos);
		token.waitForCompletion(WAIT.toMillis());
		assertThat(Arrays.stream(token.getGrantedQos()).max().orElse(0)).isLessThan(0x80);
	}

	@Override
	void publish(ApplicationContext context, String topic, String payload, int qos) throws Exception {
		context.getBean(IMqttAsyncClient.class)
			.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, false)
			.waitForCompletion(WAIT.toMillis());
	}

	@Override
	RawClient connectRawClient(String url, String clientId) throws MqttException {
		MqttAsyncClient client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
		MqttConnectOptions options = new MqttConnectOptions();
		options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
		options.setAutomaticReconnect(false);
		client.connect(options).waitForCompletion(WAIT.toMillis());
		return new RawClient() {

			@Override
			public boolean isConnected() {
				return client.isConnected();
			}

			@Override
			public void close() {
				try {
					if (client.isConnected()) {
						client.disconnect().waitForCompletion(WAIT.toMillis());
					}
					client.close(true);
				}
				catch (MqttException ex) {
					// best effort
				}
			}

		};
	}

	@Override
	String takeoverLogMessage(String clientId) {
		return "(client id '" + clientId + "') lost (Connection lost (reason code 32109)";
	}

	@Test
	void theClientManagerIsTheMqtt3OneWithProtocolLevel4() {
		contextRunner().withPropertyValues("mqtt.url=" + this.broker.mqttUrl()).run((context) -> {
			assertThat(context).hasSingleBean(ReconnectingMqttv3ClientManager.class)
				.hasSingleBean(IMqttAsyncClient.class)
				.getBean(ClientManager.class)
				.isInstanceOf(Mqttv3ClientManager.class);
			assertThat(context.getBean(Mqttv3ClientManager.class).getConnectionInfo().getMqttVersion())
				.isEqualTo(MqttConnectOptions.MQTT_VERSION_3_1_1);
			awaitUp(context);
		});
	}

	@Test
	void mqtt31Connects() {
		String topic = topic("mqtt31");
		ConnectionTestSupport.contextRunner("3.1")
			.withPropertyValues("mqtt.url=" + this.broker.mqttUrl(), "mqtt.client-id=it-mqtt31")
			.run((context) -> {
				assertThat(context.getBean(Mqttv3ClientManager.class).getConnectionInfo().getMqttVersion())
					.isEqualTo(MqttConnectOptions.MQTT_VERSION_3_1);
				assertThat(awaitUp(context).getDetails()).containsEntry("protocolVersion", "3.1");
				try (MqttTestClient observer = MqttTestClient.connect(this.broker.tcpUrl())) {
					observer.subscribe(topic, 1);
					publish(context, topic, "over-3.1", 1);
					assertThat(observer.awaitMessage(topic, WAIT).payloadAsString()).isEqualTo("over-3.1");
				}
			});
	}

}
