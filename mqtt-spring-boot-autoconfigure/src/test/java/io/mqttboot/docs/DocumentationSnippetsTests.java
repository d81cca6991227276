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
package io.mqttboot.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java examples of the README and the reference documentation are compiled sources
 * (test sources of this module and of the test module under {@code io/mqttboot/docs},
 * and the sample app's test example): each tagged region must stand in its document exactly as compiled, with
 * every import of its source, so that the documents show code that compiles.
 *
 * @author mqttboot
 */
class DocumentationSnippetsTests {

	private static final Path ROOT = Path.of("..");

	private static final String DOCS = "mqtt-spring-boot-autoconfigure/src/test/java/io/mqttboot/docs/";

	private static final String SAMPLE_TESTS = "sample-app/src/test/java/io/mqttboot/sample/";

	@ParameterizedTest(name = "{1} of {0} in {2}")
	@CsvSource({ DOCS + "readme/TemperatureListener.java, listener, README.md",
			DOCS + "readme/Alerts.java, template, README.md",
			DOCS + "connections/EdgeToCloudBridge.java, bridge, docs/connections.md",
			DOCS + "connections/StatusAnnouncer.java, events, docs/connections.md",
			DOCS + "configuration/PahoOptionsConfiguration.java, customizers, docs/configuration.md",
			DOCS + "configuration/SharedConnectionConfiguration.java, adapter, docs/configuration.md",
			SAMPLE_TESTS + "AlertTests.java, test, README.md", SAMPLE_TESTS + "AlertTests.java, test, docs/testing.md",
			"mqtt-spring-boot-test/src/test/java/io/mqttboot/docs/testing/TelemetryContainerTests.java, containers, docs/testing.md" })
	void exampleStandsInItsDocumentAsCompiled(String source, String tag, String document) throws IOException {
		String code = Files.readString(ROOT.resolve(source), StandardCharsets.UTF_8);
		String region = code.substring(code.indexOf("// tag::" + tag + "[]\n") + ("// tag::" + tag + "[]\n").length(),
				code.indexOf("// end::" + tag + "[]"));
		assertThat(region).isNotBlank();
		String text = Files.readString(ROOT.resolve(document), StandardCharsets.UTF_8);
		assertThat(text).as("%s shows the %s example of %s as compiled", document, tag, source).contains(region);
		for (String line : code.split("\n")) {
			if (line.startsWith("import ")) {
				assertThat(text).as("%s has the imports of %s", document, source).contains(line);
			}
		}
	}

}
