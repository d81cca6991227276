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
package io.mqttboot.autoconfigure.embedded;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link EmbeddedBrokerLoggingEnvironmentPostProcessor}, on the test class path
 * that has HiveMQ CE embedded and its {@code logback.xml}.
 *
 * @author mqttboot
 */
class EmbeddedBrokerLoggingEnvironmentPostProcessorTests {

	private final ClassLoader classLoader = getClass().getClassLoader();

	@Test
	void hiveMqLogbackXmlIsReplacedBySpringBootDefaults() {
		assertThat(this.classLoader.getResource("logback.xml")).asString().contains("hivemq");
		assertThat(EmbeddedBrokerLoggingEnvironmentPostProcessor.loggingConfig(new StandardEnvironment(),
				this.classLoader))
			.isEqualTo(EmbeddedBrokerLoggingEnvironmentPostProcessor.DEFAULT_CONFIG);
		assertThat(new DefaultResourceLoader().getResource(EmbeddedBrokerLoggingEnvironmentPostProcessor.DEFAULT_CONFIG)
			.exists()).isTrue();
	}

	@Test
	void hiveMqMigrationLinesAreLoweredUnlessTheApplicationSetsTheirLevel() {
		StandardEnvironment environment = new StandardEnvironment();
		new EmbeddedBrokerLoggingEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty(EmbeddedBrokerLoggingEnvironmentPostProcessor.MIGRATIONS_LEVEL))
			.isEqualTo("WARN");
		StandardEnvironment own = new StandardEnvironment();
		own.getPropertySources()
			.addFirst(new MapPropertySource("application",
					Map.of(EmbeddedBrokerLoggingEnvironmentPostProcessor.MIGRATIONS_LEVEL, "DEBUG")));
		new EmbeddedBrokerLoggingEnvironmentPostProcessor().postProcessEnvironment(own, new SpringApplication());
		assertThat(own.getProperty(EmbeddedBrokerLoggingEnvironmentPostProcessor.MIGRATIONS_LEVEL)).isEqualTo("DEBUG");
	}

	@Test
	void explicitLoggingConfigIsKept() {
		MockEnvironment environment = new MockEnvironment().withProperty("logging.config", "classpath:mine.xml");
		assertThat(EmbeddedBrokerLoggingEnvironmentPostProcessor.loggingConfig(environment, this.classLoader))
			.isNull();
	}

	@Test
	void applicationLogbackSpringXmlIsUsed(@TempDir Path directory) throws Exception {
		Files.writeString(directory.resolve("logback-spring.xml"), "<configuration/>");
		try (URLClassLoader loader = new URLClassLoader(new URL[] { directory.toUri().toURL() }, this.classLoader)) {
			assertThat(EmbeddedBrokerLoggingEnvironmentPostProcessor.loggingConfig(new StandardEnvironment(), loader))
				.isEqualTo("classpath:logback-spring.xml");
		}
	}

	@Test
	void applicationLogbackXmlFirstOnTheClassPathIsKept(@TempDir Path directory) throws Exception {
		Path own = Files.writeString(directory.resolve("logback.xml"), "<configuration/>");
		ClassLoader applicationFirst = new ClassLoader(this.classLoader) {

			@Override
			public URL getResource(String name) {
				return "logback.xml".equals(name) ? toUrl(own) : super.getResource(name);
			}

		};
		assertThat(EmbeddedBrokerLoggingEnvironmentPostProcessor.loggingConfig(new StandardEnvironment(),
				applicationFirst))
			.isNull();
	}

	private static URL toUrl(Path path) {
		try {
			return path.toUri().toURL();
		}
		catch (MalformedURLException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
