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

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the configuration metadata: the hand-written additions, and that every
 * property the contract names is documented for IDE completion.
 *
 * @author mqttboot
 */
class ConfigurationMetadataTests {

	private static final List<String> CONTRACT_PROPERTIES = List.of("mqtt.enabled", "mqtt.url", "mqtt.client-id",
			"mqtt.username", "mqtt.password", "mqtt.protocol-version", "mqtt.connect-timeout", "mqtt.keep-alive",
			"mqtt.clean-start", "mqtt.session-expiry", "mqtt.automatic-reconnect", "mqtt.reconnect.min-delay",
			"mqtt.reconnect.max-delay", "mqtt.will.topic", "mqtt.will.payload", "mqtt.will.qos", "mqtt.will.retain",
			"mqtt.will.delay-interval", "mqtt.will.message-expiry", "mqtt.will.content-type",
			"mqtt.will.user-properties", "mqtt.ssl.bundle", "mqtt.ssl.verify-hostname",
			"mqtt.connect-properties.receive-maximum", "mqtt.connect-properties.maximum-packet-size",
			"mqtt.connect-properties.topic-alias-maximum", "mqtt.connect-properties.request-response-information",
			"mqtt.connect-properties.request-problem-information", "mqtt.connect-properties.user-properties",
			"mqtt.max-inflight", "mqtt.persistence", "mqtt.persistence-directory", "mqtt.template.default-qos",
			"mqtt.template.default-retain", "mqtt.embedded.enabled", "mqtt.embedded.port",
			"mqtt.observations.enabled", "management.health.mqtt.enabled");

	@Test
	void everyContractPropertyIsDocumented() throws IOException {
		DocumentContext metadata = read("META-INF/spring-configuration-metadata.json");
		for (String property : CONTRACT_PROPERTIES) {
			List<Map<String, Object>> entries = metadata.read("$.properties[?(@.name == '" + property + "')]");
			assertThat(entries).as(property).hasSize(1);
			assertThat((String) entries.get(0).get("description")).as(property).isNotBlank();
		}
	}

	@Test
	void defaultsAreInTheMetadata() throws IOException {
		DocumentContext metadata = read("META-INF/spring-configuration-metadata.json");
		assertThat(defaultValue(metadata, "mqtt.url")).isEqualTo("mqtt://localhost:1883");
		assertThat(defaultValue(metadata, "mqtt.protocol-version")).isEqualTo("5");
		assertThat(defaultValue(metadata, "mqtt.connect-timeout")).isEqualTo("30s");
		assertThat(defaultValue(metadata, "mqtt.keep-alive")).isEqualTo("60s");
		assertThat(defaultValue(metadata, "mqtt.reconnect.min-delay")).isEqualTo("1s");
		assertThat(defaultValue(metadata, "mqtt.reconnect.max-delay")).isEqualTo("2m");
		assertThat(defaultValue(metadata, "mqtt.template.default-qos")).isEqualTo(1);
		assertThat(defaultValue(metadata, "mqtt.embedded.port")).isEqualTo(1883);
		assertThat(defaultValue(metadata, "mqtt.observations.enabled")).isEqualTo(true);
	}

	@Test
	void handWrittenMetadataIsPinned() throws IOException {
		DocumentContext additional = read("META-INF/additional-spring-configuration-metadata.json");
		assertThat(additional.read("$.properties[*].name", List.class))
			.containsExactly("management.health.mqtt.enabled");
		assertThat(additional.read("$.properties[0].type", String.class)).isEqualTo("java.lang.Boolean");
		assertThat(additional.read("$.properties[0].defaultValue", Boolean.class)).isTrue();
		assertThat(additional.read("$.hints[*].name", List.class)).containsExactlyInAnyOrder("mqtt.protocol-version",
				"mqtt.persistence", "mqtt.session-expiry", "mqtt.will.qos", "mqtt.template.default-qos",
				"mqtt.ssl.bundle");
		assertThat(additional.read("$.hints[?(@.name == 'mqtt.protocol-version')].values[*].value", List.class))
			.containsExactly("5", "3.1.1", "3.1");
		assertThat(additional.read("$.hints[?(@.name == 'mqtt.persistence')].values[*].value", List.class))
			.containsExactly("memory", "file");
	}

	private static Object defaultValue(DocumentContext metadata, String property) {
		List<Object> values = metadata.read("$.properties[?(@.name == '" + property + "')].defaultValue");
		assertThat(values).as(property).hasSize(1);
		return values.get(0);
	}

	private static DocumentContext read(String path) throws IOException {
		try (InputStream content = new ClassPathResource(path).getInputStream()) {
			return JsonPath.parse(content);
		}
	}

}
