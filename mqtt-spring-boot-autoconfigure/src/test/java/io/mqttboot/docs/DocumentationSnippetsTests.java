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
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java examples of the README and the reference documentation are compiled sources
 * (test sources of this module and of the test module under {@code io/mqttboot/docs},
 * and the sample app's test example): each tagged region must stand in its document
 * exactly as compiled, with every import of its source, and every Java block of the
 * documents must be one of them, so that the documents show code that compiles.
 *
 * @author mqttboot
 */
class DocumentationSnippetsTests {

	private static final Path ROOT = Path.of("..");

	private static final String DOCS = "mqtt-spring-boot-autoconfigure/src/test/java/io/mqttboot/docs/";

	private static final String SAMPLE_TESTS = "sample-app/src/test/java/io/mqttboot/sample/";

	private static final String TEST_MODULE_DOCS = "mqtt-spring-boot-test/src/test/java/io/mqttboot/docs/";

	private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

	// source, tag, document
	private static final List<String[]> EXAMPLES = List.of(
			new String[] { DOCS + "readme/TemperatureListener.java", "listener", "README.md" },
			new String[] { DOCS + "readme/Alerts.java", "template", "README.md" },
			new String[] { SAMPLE_TESTS + "AlertTests.java", "test", "README.md" },
			new String[] { DOCS + "connections/EdgeToCloudBridge.java", "bridge", "docs/connections.md" },
			new String[] { DOCS + "connections/StatusAnnouncer.java", "events", "docs/connections.md" },
			new String[] { DOCS + "configuration/PahoOptionsConfiguration.java", "customizers", "docs/configuration.md" },
			new String[] { DOCS + "configuration/SharedConnectionConfiguration.java", "adapter", "docs/configuration.md" },
			new String[] { DOCS + "listeners/TemperatureListener.java", "listeners", "docs/listeners.md" },
			new String[] { DOCS + "listeners/DeadLetterConfiguration.java", "error-handler", "docs/listeners.md" },
			new String[] { DOCS + "listeners/ConverterConfiguration.java", "converter", "docs/listeners.md" },
			new String[] { DOCS + "publishing/Alerts.java", "alerts", "docs/publishing.md" },
			new String[] { DOCS + "observability/MqttObservationConfig.java", "convention", "docs/observability.md" },
			new String[] { SAMPLE_TESTS + "AlertTests.java", "test", "docs/testing.md" },
			new String[] { TEST_MODULE_DOCS + "testing/TelemetryContainerTests.java", "containers", "docs/testing.md" });

	static Stream<Arguments> examples() {
		return EXAMPLES.stream().map((example) -> Arguments.of((Object[]) example));
	}

	@ParameterizedTest(name = "{1} of {0} in {2}")
	@MethodSource("examples")
	void exampleStandsInItsDocumentAsCompiled(String source, String tag, String document) {
		String code = read(source);
		String region = region(code, tag);
		assertThat(region).isNotBlank();
		String text = read(document);
		assertThat(text).as("%s shows the %s example of %s as compiled", document, tag, source).contains(region);
		for (String line : code.split("\n")) {
			if (line.startsWith("import ")) {
				assertThat(text).as("%s has the imports of %s", document, source).contains(line);
			}
		}
	}

	@Test
	void everyJavaBlockOfTheDocumentsIsACompiledExample() throws IOException {
		List<String> documents = new ArrayList<>(List.of("README.md"));
		try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
			files.map((file) -> "docs/" + file.getFileName()).filter((name) -> name.endsWith(".md")).forEach(documents::add);
		}
		for (String document : documents) {
			List<String> regions = EXAMPLES.stream()
				.filter((example) -> example[2].equals(document))
				.map((example) -> region(read(example[0]), example[1]))
				.toList();
			Matcher blocks = JAVA_BLOCK.matcher(read(document));
			while (blocks.find()) {
				String block = blocks.group(1);
				assertThat(regions).as("a Java block of %s that is no compiled example:%n%s", document, block)
					.anyMatch(block::contains);
			}
		}
	}

	private static String region(String code, String tag) {
		String start = "// tag::" + tag + "[]\n";
		return code.substring(code.indexOf(start) + start.length(), code.indexOf("// end::" + tag + "[]"));
	}

	private static String read(String path) {
		try {
			return Files.readString(ROOT.resolve(path), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
