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

import java.util.stream.Stream;

import io.mqttboot.test.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Tests that each bad MQTT property fails startup with a message naming the property,
 * the value and the fix.
 *
 * @author mqttboot
 */
class MqttAutoConfigurationFailureTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MqttAutoConfiguration.class, SslAutoConfiguration.class))
		.withPropertyValues("mqtt.url=" + MqttAutoConfigurationTests.UNREACHABLE_URL);

	/**
	 * Bad values of the keys that every connection has: property (without its prefix),
	 * value, and a part of the fix.
	 * @return the bad values
	 */
	static Stream<Arguments> invalidValues() {
		return Stream.of(
			arguments("url", "http://broker:1883", "Unknown scheme 'http'"),
			arguments("url", "mqtt://broker:port", "Malformed URL"),
			arguments("url", "broker:1883", "no scheme"),
			arguments("will.qos", "3", "QoS must be 0, 1 or 2"),
			arguments("template.default-qos", "-1", "QoS must be 0, 1 or 2"),
			arguments("will.topic", "devices/+/status", "remove the wildcards"),
			arguments("will.topic", "devices/#", "remove the wildcards"),
			arguments("ssl.bundle", "missing", "No SSL bundle with this name"),
			arguments("connect-timeout", "-1s", "must not be negative"),
			arguments("keep-alive", "-5s", "must not be negative"),
			arguments("reconnect.min-delay", "-1s", "must not be negative"),
			arguments("reconnect.min-delay", "0", "must be positive"),
			arguments("reconnect.max-delay", "-1s", "must not be negative"),
			arguments("will.delay-interval", "-1s", "must not be negative"),
			arguments("keep-alive", "65536s", "at most 65535 seconds"),
			arguments("keep-alive", "1d", "at most 65535 seconds"),
			arguments("session-expiry", "-1s", "must not be negative"),
			arguments("session-expiry", "soon", "'never'"),
			arguments("protocol-version", "4", "Use 5, 3.1.1 or 3.1"),
			arguments("max-inflight", "0", "positive number"),
			arguments("reconnect.min-delay", "5m", "must not exceed"),
			arguments("connect-properties.receive-maximum", "0", "from 1 to 65535"));
	}

	static Stream<Arguments> invalidValuesOfEachConnection() {
		return Stream.of("mqtt", "mqtt.connections.cloud")
			.flatMap((prefix) -> invalidValues().map((arguments) -> {
				Object[] values = arguments.get();
				return arguments(prefix + "." + values[0], values[1], values[2]);
			}));
	}

	@ParameterizedTest(name = "{0}={1}")
	@MethodSource("invalidValuesOfEachConnection")
	void invalidPropertyValue(String property, String value, String fix) {
		String prefix = property.startsWith("mqtt.connections.cloud.") ? "mqtt.connections.cloud." : "mqtt.";
		String key = property.substring(prefix.length());
		String willTopic = (key.startsWith("will.") && !key.equals("will.topic"))
				? prefix + "will.topic=devices/x/status" : "mqtt.enabled=true";
		String url = switch (key) {
			case "url" -> "mqtt.enabled=true";
			case "ssl.bundle" -> prefix + "url=mqtts://127.0.0.1:1";
			default -> prefix + "url=" + MqttAutoConfigurationTests.UNREACHABLE_URL;
		};
		this.contextRunner.withPropertyValues(property + "=" + value, willTopic, url)
			.run((context) -> assertInvalidValue(context, property, value, fix));
	}

	@Test
	void mqtt31ClientIdLongerThan23Bytes() {
		String clientId = "a-client-id-of-24-bytes!";
		this.contextRunner.withPropertyValues("mqtt.protocol-version=3.1", "mqtt.client-id=" + clientId)
			.run((context) -> assertInvalidValue(context, "mqtt.client-id", clientId, "at most 23 bytes"));
	}

	@Test
	void mqtt311AcceptsLongClientId() {
		this.contextRunner.withPropertyValues("mqtt.protocol-version=3.1.1", "mqtt.client-id=a-client-id-of-24-bytes!")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void willWithoutTopic() {
		this.contextRunner.withPropertyValues("mqtt.will.payload=offline")
			.run((context) -> assertAnalysis(context, "mqtt.will properties are set but mqtt.will.topic is not",
					"Set mqtt.will.topic"));
	}

	@Test
	void misspelledSslBundleSuggestsTheBundleThatExists() {
		String certificate = "file:" + TestCertificates.shared().caCrt();
		this.contextRunner
			.withPropertyValues("mqtt.ssl.bundle=clinet", "mqtt.url=mqtts://127.0.0.1:1",
					"spring.ssl.bundle.pem.client.truststore.certificate=" + certificate,
					"spring.ssl.bundle.pem.server.truststore.certificate=" + certificate)
			.run((context) -> assertInvalidValue(context, "mqtt.ssl.bundle", "clinet",
					"No SSL bundle with this name is configured (the bundles are [client, server]); "
							+ "did you mean 'client'?"));
	}

	@Test
	void unrelatedSslBundleNameSuggestsNothing() {
		this.contextRunner
			.withPropertyValues("mqtt.ssl.bundle=broker", "mqtt.url=mqtts://127.0.0.1:1",
					"spring.ssl.bundle.pem.client.truststore.certificate=file:" + TestCertificates.shared().caCrt())
			.run((context) -> {
				assertInvalidValue(context, "mqtt.ssl.bundle", "broker", "(the bundles are [client]).");
				assertThat(context.getStartupFailure()).hasStackTraceContaining("No SSL bundle")
					.satisfies((ex) -> assertThat(allMessages(ex)).doesNotContain("did you mean"));
			});
	}

	@Test
	void sslBundleWithPlainScheme() {
		this.contextRunner
			.withPropertyValues("mqtt.ssl.bundle=client", "mqtt.url=mqtt://broker:1883",
					"spring.ssl.bundle.pem.client.truststore.certificate=file:"
							+ TestCertificates.shared().caCrt())
			.run((context) -> assertAnalysis(context, "mqtt.ssl.bundle is set to 'client' but the broker URL",
					"Use an mqtts:// or wss:// URL in mqtt.url, or remove mqtt.ssl.bundle"));
	}

	@Test
	void sessionExpiryWithMqtt311() {
		this.contextRunner.withPropertyValues("mqtt.protocol-version=3.1.1", "mqtt.session-expiry=1h")
			.run((context) -> assertAnalysis(context,
					"mqtt.session-expiry is an MQTT 5 property, but mqtt.protocol-version is 3.1.1",
					"Set mqtt.protocol-version to 5, or remove mqtt.session-expiry"));
	}

	@Test
	void connectPropertiesWithMqtt311() {
		this.contextRunner
			.withPropertyValues("mqtt.protocol-version=3.1.1", "mqtt.connect-properties.receive-maximum=10")
			.run((context) -> assertAnalysis(context, "mqtt.connect-properties is an MQTT 5 property",
					"remove mqtt.connect-properties"));
	}

	@ParameterizedTest
	@CsvSource({ "mqtt.will.delay-interval, 5s", "mqtt.will.message-expiry, 1m",
			"mqtt.will.content-type, text/plain", "mqtt.will.user-properties.a, b" })
	void mqtt5WillPropertiesWithMqtt31(String property, String value) {
		this.contextRunner
			.withPropertyValues("mqtt.protocol-version=3.1", "mqtt.will.topic=t", property + "=" + value)
			.run((context) -> assertAnalysis(context, "is an MQTT 5 property, but mqtt.protocol-version is 3.1",
					"Set mqtt.protocol-version to 5"));
	}

	@Test
	void passwordIsNeverInTheMessage() {
		this.contextRunner.withPropertyValues("mqtt.password=s3cr3t-value", "mqtt.url=http://broker")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(allMessages(context.getStartupFailure())).doesNotContain("s3cr3t-value");
			});
	}

	private static void assertInvalidValue(AssertableApplicationContext context, String property, String value,
			String fix) {
		assertThat(context).hasFailed();
		InvalidConfigurationPropertyValueException ex = findCause(context.getStartupFailure(),
				InvalidConfigurationPropertyValueException.class);
		assertThat(ex).as("cause of %s", context.getStartupFailure()).isNotNull();
		assertThat(ex.getName()).isEqualTo(property);
		assertThat(String.valueOf(ex.getValue())).isIn(value, normalizedDuration(value));
		assertThat(ex.getMessage()).contains(fix);
	}

	private static String normalizedDuration(String value) {
		try {
			return org.springframework.boot.convert.DurationStyle.detectAndParse(value).toString();
		}
		catch (RuntimeException ex) {
			return value;
		}
	}

	private static void assertAnalysis(AssertableApplicationContext context, String description, String action) {
		assertThat(context).hasFailed();
		FailureAnalysis analysis = new MqttConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).as("analysis of %s", context.getStartupFailure()).isNotNull();
		assertThat(analysis.getDescription()).contains(description);
		assertThat(analysis.getAction()).contains(action);
	}

	private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
		Throwable candidate = failure;
		while (candidate != null) {
			if (type.isInstance(candidate)) {
				return type.cast(candidate);
			}
			candidate = candidate.getCause();
		}
		return null;
	}

	private static String allMessages(Throwable failure) {
		StringBuilder messages = new StringBuilder();
		for (Throwable candidate = failure; candidate != null; candidate = candidate.getCause()) {
			messages.append(candidate.getMessage()).append('\n');
		}
		return messages.toString();
	}

}
