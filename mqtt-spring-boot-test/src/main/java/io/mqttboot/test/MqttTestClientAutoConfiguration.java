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

import java.util.Arrays;
import java.util.List;

import io.mqttboot.autoconfigure.MqttAutoConfiguration;
import io.mqttboot.autoconfigure.MqttConnectionDetails;
import io.mqttboot.autoconfigure.embedded.EmbeddedMqttBrokerAutoConfiguration;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of a {@link MqttTestClient} bean in test contexts, imported by
 * {@link AutoConfigureMqttTestClient @AutoConfigureMqttTestClient} (and so by
 * {@link EmbeddedMqttBroker @EmbeddedMqttBroker}). The client connects to the first URL
 * of the context's {@link MqttConnectionDetails}, with its credentials and SSL bundle
 * (or to {@code mqtt.url} without connection details), reads and writes JSON with the
 * context's {@link JsonMapper} if there is one, and is closed with the context, before
 * an embedded broker stops.
 *
 * @author mqttboot
 */
@AutoConfiguration(after = { MqttAutoConfiguration.class, EmbeddedMqttBrokerAutoConfiguration.class },
		afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnClass(MqttAsyncClient.class)
public final class MqttTestClientAutoConfiguration {

	private static final String DEFAULT_URL = "mqtt://localhost:1883";

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	MqttTestClient mqttTestClient(ObjectProvider<MqttConnectionDetails> connectionDetails,
			ObjectProvider<JsonMapper> jsonMapper, Environment environment) {
		MqttTestClient.Builder builder = MqttTestClient.builder().jsonMapper(jsonMapper.getIfUnique());
		MqttConnectionDetails details = connectionDetails.getIfUnique();
		if (details != null) {
			SslBundle sslBundle = details.getSslBundle();
			builder.url(details.getUrls().get(0))
				.credentials(details.getUsername(), details.getPassword())
				.socketFactory((sslBundle != null) ? sslBundle.createSslContext().getSocketFactory() : null);
		}
		else {
			builder.url(firstUrl(environment.getProperty("mqtt.url", DEFAULT_URL)))
				.credentials(environment.getProperty("mqtt.username"), environment.getProperty("mqtt.password"));
		}
		return builder.connect();
	}

	private static String firstUrl(String urls) {
		List<String> list = Arrays.stream(StringUtils.commaDelimitedListToStringArray(urls))
			.map(String::trim)
			.filter(StringUtils::hasText)
			.toList();
		return list.isEmpty() ? DEFAULT_URL : list.get(0);
	}

}
