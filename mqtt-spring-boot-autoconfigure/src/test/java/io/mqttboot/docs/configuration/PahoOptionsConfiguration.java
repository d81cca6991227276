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

import java.util.Map;
import java.util.Properties;

import io.mqttboot.autoconfigure.MqttConnectOptionsCustomizer;
import io.mqttboot.autoconfigure.MqttConnectionOptionsCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Paho options example of {@code docs/configuration.md}, compiled as shown.
 *
 * @author mqttboot
 */
// tag::customizers[]
@Configuration(proxyBeanMethods = false)
class PahoOptionsConfiguration {

	@Bean
	MqttConnectionOptionsCustomizer webSocketHeaders() {       // MQTT 5
		return (options) -> options.setCustomWebSocketHeaders(Map.of("Authorization", "Bearer " + token()));
	}

	@Bean
	MqttConnectOptionsCustomizer webSocketHeaders3() {         // MQTT 3.1.1 / 3.1
		return (options) -> {
			Properties headers = new Properties();
			headers.setProperty("Authorization", "Bearer " + token());
			options.setCustomWebSocketHeaders(headers);
		};
	}

	private String token() {
		return System.getenv().getOrDefault("BROKER_TOKEN", "");
	}

}
// end::customizers[]
