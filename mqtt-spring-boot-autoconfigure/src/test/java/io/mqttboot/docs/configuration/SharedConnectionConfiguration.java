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
package io.mqttboot.docs.configuration;

import org.eclipse.paho.mqttv5.client.IMqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.mqtt.core.ClientManager;
import org.springframework.integration.mqtt.inbound.Mqttv5PahoMessageDrivenChannelAdapter;

/**
 * The example of {@code docs/configuration.md} of a Spring Integration adapter on the
 * starter's connection, compiled as shown.
 *
 * @author mqttboot
 */
// tag::adapter[]
@Configuration(proxyBeanMethods = false)
class SharedConnectionConfiguration {

	@Bean
	Mqttv5PahoMessageDrivenChannelAdapter legacyInbound(
			ClientManager<IMqttAsyncClient, MqttConnectionOptions> clientManager) {
		Mqttv5PahoMessageDrivenChannelAdapter adapter = new Mqttv5PahoMessageDrivenChannelAdapter(clientManager,
				"legacy/#");
		adapter.setOutputChannelName("legacyChannel");
		return adapter;
	}

}
// end::adapter[]
