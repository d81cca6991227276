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
 * The Java examples of the README and the reference documentation are test sources of
 * this module, compiled with it: each tagged region must stand in its document exactly
 * as compiled, so that the documents show code that compiles.
 *
 * @author mqttboot
 */
class DocumentationSnippetsTests {

	private static final Path ROOT = Path.of("..");

	private static final Path SOURCES = Path.of("src/test/java/io/mqttboot/docs");

	@ParameterizedTest(name = "{1} of {0} in {2}")
	@CsvSource({ "readme/TemperatureListener.java, listener, README.md", "readme/Alerts.java, template, README.md",
			"connections/EdgeToCloudBridge.java, bridge, docs/connections.md",
			"observability/MqttObservationConfig.java, convention, docs/observability.md" })
	void exampleStandsInItsDocumentAsCompiled(String source, String tag, String document) throws IOException {
		String code = Files.readString(SOURCES.resolve(source), StandardCharsets.UTF_8);
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
