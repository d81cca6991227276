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

import io.mqttboot.autoconfigure.health.MqttHealthContributorAutoConfiguration;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Tests that a password written into a broker URL ({@code mqtt://user:password@host})
 * never shows in a startup failure, a log line or a health detail.
 *
 * @author mqttboot
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretsInOutputTests {

	private static final String SECRET = "s3cr3t-in-url";

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource(delimiter = '|', value = { "mqtt.url | mqtt://alice:s3cr3t-in-url@broker:1883",
			"mqtt.url | http://alice:s3cr3t-in-url@broker", "mqtt.url | mqtt://alice:s3cr3t-in-url@broker:port",
			"mqtt.url | mqtt://alice:s3cr3t-in-url@broker:",
			"mqtt.url | mqtt://127.0.0.1:1,mqtts://alice:s3cr3t-in-url@broker",
			"mqtt.connections.cloud.url | mqtt://alice:s3cr3t-in-url@broker:1883" })
	void credentialsInTheUrlFailStartupWithoutShowingThePassword(String property, String url,
			CapturedOutput output) {
		assertThatException().isThrownBy(() -> application(property + "=" + url).run().close());
		assertThat(output.getAll()).contains(property).contains("alice").doesNotContain(SECRET);
	}

	@ParameterizedTest(name = "MQTT {0}")
	@ValueSource(strings = { "5", "3.1.1" })
	void credentialsInPahoServerUrisNeverShowInLogsOrHealth(String version, CapturedOutput output) {
		try (ConfigurableApplicationContext context = application("mqtt.protocol-version=" + version,
				"mqtt.reconnect.min-delay=100ms", "mqtt.reconnect.max-delay=200ms")
			.sources(CredentialsInServerUris.class)
			.run()) {
			Health health = ConnectionTestSupport.awaitFailedAttempt(context);
			assertThat(health.getDetails().get("server")).asString().contains("alice").doesNotContain(SECRET);
			assertThat(health.getDetails().toString()).doesNotContain(SECRET);
		}
		assertThat(output.getAll()).contains("alice").doesNotContain(SECRET);
	}

	private static SpringApplicationBuilder application(String... properties) {
		return new SpringApplicationBuilder(MqttApplication.class).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties("mqtt.url=" + MqttAutoConfigurationTests.UNREACHABLE_URL)
			.properties(properties);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ MqttAutoConfiguration.class, SslAutoConfiguration.class,
			MqttHealthContributorAutoConfiguration.class })
	static class MqttApplication {

	}

	@Configuration(proxyBeanMethods = false)
	static class CredentialsInServerUris {

		private static final String URI = MqttAutoConfigurationTests.UNREACHABLE_URL.replace("mqtt://",
				"tcp://alice:" + SECRET + "@");

		@Bean
		MqttConnectionOptionsCustomizer credentialsInUri() {
			return (options) -> options.setServerURIs(new String[] { URI });
		}

		@Bean
		MqttConnectOptionsCustomizer credentialsInV3Uri() {
			return (options) -> options.setServerURIs(new String[] { URI });
		}

	}

}
