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

import java.net.URL;
import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;

/**
 * Keeps Spring Boot's logging configuration when HiveMQ CE embedded is on the class
 * path: its jar ships a {@code logback.xml}, which Spring Boot would otherwise pick as the
 * application's logging configuration. Unless {@code logging.config} is set or the
 * application has a {@code logback.xml} of its own, points {@code logging.config} at the
 * application's {@code logback-spring.xml} if there is one, else at Spring Boot's default
 * console configuration. Also lowers HiveMQ's {@code migrations} logger to WARN (unless the
 * application set its level): at every start it logs four INFO lines about skipping
 * migrations of a "Development Snapshot", which say nothing about the application, so
 * that the broker's start is the one line the starter logs.
 *
 * @author mqttboot
 */
class EmbeddedBrokerLoggingEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final String DEFAULT_CONFIG = "classpath:io/mqttboot/autoconfigure/embedded/logback-defaults.xml";

	static final String MIGRATIONS_LEVEL = "logging.level.migrations";

	private static final String HIVEMQ_JAR = "hivemq-community-edition-embedded";

	private static final String HIVEMQ_CLASS = "com.hivemq.embedded.EmbeddedHiveMQ";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		ClassLoader classLoader = (application.getClassLoader() != null) ? application.getClassLoader()
				: ClassUtils.getDefaultClassLoader();
		if (classLoader == null || !ClassUtils.isPresent(HIVEMQ_CLASS, classLoader)) {
			return;
		}
		Map<String, Object> defaults = new HashMap<>();
		defaults.put(MIGRATIONS_LEVEL, "WARN");
		String config = loggingConfig(environment, classLoader);
		if (config != null) {
			defaults.put("logging.config", config);
		}
		environment.getPropertySources().addLast(new MapPropertySource("mqttbootEmbeddedBrokerLogging", defaults));
	}

	static @Nullable String loggingConfig(ConfigurableEnvironment environment, @Nullable ClassLoader classLoader) {
		if (classLoader == null || environment.containsProperty("logging.config")
				|| !ClassUtils.isPresent("ch.qos.logback.classic.LoggerContext", classLoader)) {
			return null;
		}
		URL logback = classLoader.getResource("logback.xml");
		if (logback == null || !logback.toString().contains(HIVEMQ_JAR)) {
			return null;
		}
		for (String testConfig : new String[] { "logback-test.xml", "logback-test.groovy" }) {
			if (classLoader.getResource(testConfig) != null) {
				return null;
			}
		}
		return (classLoader.getResource("logback-spring.xml") != null) ? "classpath:logback-spring.xml"
				: DEFAULT_CONFIG;
	}

}
