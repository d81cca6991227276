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
package io.mqttboot.listener;

import io.mqttboot.listener.ListenerTestSupport.Recorder;
import org.eclipse.paho.client.mqttv3.IMqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.Test;

import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.integration.config.EnableIntegration;
import org.springframework.integration.mqtt.core.ClientManager;
import org.springframework.integration.mqtt.inbound.MqttPahoMessageDrivenChannelAdapter;
import org.springframework.integration.mqtt.outbound.MqttPahoMessageHandler;
import org.springframework.integration.mqtt.support.MqttHeaders;
import org.springframework.messaging.support.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AbstractMqttListenerIntegrationTests} for MQTT 3.1.1.
 *
 * @author mqttboot
 */
class Mqttv311ListenerIntegrationTests extends AbstractMqttListenerIntegrationTests {

	@Override
	String protocolVersion() {
		return "3.1.1";
	}

	@Override
	String[] persistentSessionProperties() {
		return new String[] { "mqtt.clean-start=false" };
	}

	@Override
	void killConnection(ApplicationContext context) throws Exception {
		((MqttAsyncClient) context.getBean(IMqttAsyncClient.class)).disconnectForcibly(0, 0, false);
	}

	@Override
	Class<?> integrationConfiguration() {
		return IntegrationConfiguration.class;
	}

	@Override
	String refusedSubscriptionReason() {
		return "0x80";
	}

	@Test
	void mqtt5OptionsFailStartup() {
		contextRunner().withUserConfiguration(NoLocalListener.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasMessageContaining("@MqttListener 'noLocal'")
				.hasMessageContaining("need MQTT 5");
		});
	}

	static class NoLocalListener {

		@MqttListener(id = "noLocal", topics = "${test.prefix}/nl", noLocal = true)
		void noLocal(String payload) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableIntegration
	static class IntegrationConfiguration {

		@Bean
		DirectChannel adapterOutput(Recorder recorder) {
			return ListenerTestSupport.acknowledgingAdapterOutput(recorder);
		}

		@Bean
		MqttPahoMessageDrivenChannelAdapter inboundAdapter(
				ClientManager<IMqttAsyncClient, MqttConnectOptions> clientManager, DirectChannel adapterOutput,
				Environment environment) {
			MqttPahoMessageDrivenChannelAdapter adapter = new MqttPahoMessageDrivenChannelAdapter(clientManager,
					environment.getRequiredProperty("test.prefix") + "/si/#");
			adapter.setOutputChannel(adapterOutput);
			return adapter;
		}

		@Bean
		MqttPahoMessageHandler outboundHandler(ClientManager<IMqttAsyncClient, MqttConnectOptions> clientManager) {
			MqttPahoMessageHandler handler = new MqttPahoMessageHandler(clientManager);
			handler.setAsync(false);
			return handler;
		}

		@Bean
		IntegrationSender integrationSender(MqttPahoMessageHandler outboundHandler) {
			return (topic, payload) -> {
				outboundHandler.start();
				outboundHandler.handleMessage(MessageBuilder.withPayload(payload).setHeader(MqttHeaders.TOPIC, topic).build());
			};
		}

	}

}
