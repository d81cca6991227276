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
package io.mqttboot.benchmark;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Measures application startup in fresh JVMs: a plain Spring Boot application
 * ({@code spring-boot-starter} and {@code spring-boot-starter-jackson} only), the same
 * application that then connects a raw Paho v5 client, and the same application with the
 * starter, connected to the broker. Each JVM gets exactly the class path such an
 * application has, taken from this JVM's class path.
 *
 * @author mqttboot
 */
final class StartupBenchmark {

	/**
	 * The artifacts of a plain Spring Boot application with {@code spring-boot-starter}
	 * and {@code spring-boot-starter-jackson} (Spring Boot 4.0.7).
	 */
	private static final List<String> PLAIN_ARTIFACTS = List.of("logback-classic", "logback-core",
			"jackson-annotations", "commons-logging", "micrometer-commons", "micrometer-observation",
			"jakarta.annotation-api", "log4j-api", "log4j-to-slf4j", "jspecify", "jul-to-slf4j", "slf4j-api",
			"spring-boot-autoconfigure", "spring-boot-jackson", "spring-boot-starter-jackson",
			"spring-boot-starter-logging", "spring-boot-starter", "spring-boot", "spring-aop", "spring-beans",
			"spring-context", "spring-core", "spring-expression", "snakeyaml", "jackson-core", "jackson-databind");

	/**
	 * What the starter adds to it.
	 */
	private static final List<String> STARTER_ARTIFACTS = List.of("mqtt-spring-boot-starter",
			"mqtt-spring-boot-autoconfigure", "spring-integration-mqtt", "spring-integration-core", "spring-messaging",
			"spring-tx", "reactor-core", "reactive-streams", "org.eclipse.paho.mqttv5.client",
			"org.eclipse.paho.client.mqttv3");

	private static final Pattern RESULT = Pattern.compile(Pattern.quote(StartupProbe.RESULT_PREFIX)
			+ "jvmToReadyMs=(\\d+) mainToReadyMs=(\\d+) mainToRunReturnedMs=(\\d+) beans=(\\d+)");

	private static final long PROBE_TIMEOUT_SECONDS = 60;

	private StartupBenchmark() {
	}

	/**
	 * Start {@code runs} JVMs of each kind, alternating, and return the results.
	 * @param brokerUrl the broker the starter connects to
	 * @param runs the number of JVMs of each kind
	 * @return the results
	 * @throws Exception if a JVM fails
	 */
	static Results run(String brokerUrl, int runs) throws Exception {
		List<String> plain = classPath(List.of());
		List<String> rawPaho = classPath(List.of("org.eclipse.paho.mqttv5.client"));
		List<String> withStarter = classPath(STARTER_ARTIFACTS);
		Results results = new Results(plain.size(), rawPaho.size(), withStarter.size());
		// one discarded JVM of each kind warms the OS file cache
		probe(plain, "without");
		probe(rawPaho, "raw", brokerUrl);
		probe(withStarter, "with", brokerUrl);
		for (int i = 0; i < runs; i++) {
			// rotate the order
			for (int j = 0; j < 3; j++) {
				switch ((i + j) % 3) {
					case 0 -> results.plain.add(probe(plain, "without"));
					case 1 -> results.rawPaho.add(probe(rawPaho, "raw", brokerUrl));
					default -> results.starter.add(probe(withStarter, "with", brokerUrl));
				}
			}
		}
		return results;
	}

	private static List<String> classPath(List<String> extraArtifacts) {
		List<String> entries = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
		List<String> result = new ArrayList<>();
		List<String> missing = new ArrayList<>(PLAIN_ARTIFACTS);
		missing.addAll(extraArtifacts);
		for (String entry : entries) {
			String artifact = artifactOf(entry);
			if (artifact == null) {
				continue;
			}
			if (artifact.equals("benchmark")) {
				result.add(entry);
			}
			else if (missing.remove(artifact)) {
				result.add(entry);
			}
		}
		// spring-boot:run leaves out starters, which hold no classes
		missing.removeIf((artifact) -> artifact.contains("starter"));
		if (!missing.isEmpty()) {
			throw new IllegalStateException("Not on the class path, cannot build the probe's class path: " + missing
					+ " (run the benchmark with the documented command)");
		}
		return result;
	}

	/**
	 * Return the artifact id of a class path entry: a Maven repository jar
	 * ({@code .../<artifactId>/<version>/<artifactId>-<version>.jar}) or a reactor
	 * module's {@code target/classes} folder.
	 */
	private static @Nullable String artifactOf(String entry) {
		File file = new File(entry);
		if (file.isDirectory()) {
			File target = file.getParentFile();
			File module = (target != null) ? target.getParentFile() : null;
			return (module != null && "classes".equals(file.getName())) ? module.getName() : null;
		}
		File versionDir = file.getParentFile();
		File artifactDir = (versionDir != null) ? versionDir.getParentFile() : null;
		return (artifactDir != null) ? artifactDir.getName() : null;
	}

	private static Sample probe(List<String> classPath, String... args) throws IOException, InterruptedException {
		String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
		List<String> command = new ArrayList<>(List.of(java, "-cp", String.join(File.pathSeparator, classPath),
				StartupProbe.class.getName()));
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
		long begin = System.nanoTime();
		Process process = builder.start();
		Sample sample = null;
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				Matcher matcher = RESULT.matcher(line);
				if (matcher.find()) {
					long launchToReady = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
					sample = new Sample(launchToReady, Long.parseLong(matcher.group(1)),
							Long.parseLong(matcher.group(2)), Long.parseLong(matcher.group(3)),
							Integer.parseInt(matcher.group(4)));
				}
			}
		}
		if (!process.waitFor(PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
			process.destroyForcibly();
		}
		if (sample == null) {
			throw new IllegalStateException("The startup probe (" + String.join(" ", args) + ") printed no result");
		}
		return sample;
	}

	/**
	 * One JVM.
	 * @param launchToReadyMs from process launch (parent's clock) to the result line
	 * @param jvmToReadyMs from the JVM's start time to ready
	 * @param mainToReadyMs from {@code main} to ready
	 * @param mainToRunReturnedMs from {@code main} to the return of
	 * {@code SpringApplication.run} (the rest of {@code mainToReadyMs} is the wait for the
	 * connection)
	 * @param beans the number of bean definitions
	 */
	record Sample(long launchToReadyMs, long jvmToReadyMs, long mainToReadyMs, long mainToRunReturnedMs,
			int beans) {

	}

	/**
	 * The samples of both kinds.
	 */
	static final class Results {

		final int plainJars;

		final int rawPahoJars;

		final int starterJars;

		final List<Sample> plain = new ArrayList<>();

		final List<Sample> rawPaho = new ArrayList<>();

		final List<Sample> starter = new ArrayList<>();

		Results(int plainJars, int rawPahoJars, int starterJars) {
			this.plainJars = plainJars;
			this.rawPahoJars = rawPahoJars;
			this.starterJars = starterJars;
		}

		static long median(List<Sample> samples, ToLongFunction<Sample> value) {
			long[] values = samples.stream().mapToLong(value).sorted().toArray();
			return (values.length == 0) ? 0 : values[values.length / 2];
		}

	}

}
