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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Measures the time to the first message in fresh JVMs, one {@link FirstMessageProbe}
 * per side, each with the class path such an application has: raw Paho and the HiveMQ
 * client as plain Java programs, the Spring Integration application and the starter as
 * Spring Boot applications.
 *
 * @author mqttboot
 */
final class FirstMessageBenchmark {

	private static final List<String> SPRING_BOOT = List.of("logback-classic", "logback-core", "jackson-annotations",
			"commons-logging", "micrometer-commons", "micrometer-observation", "jakarta.annotation-api", "log4j-api",
			"log4j-to-slf4j", "jspecify", "jul-to-slf4j", "slf4j-api", "spring-boot-autoconfigure", "spring-boot-jackson",
			"spring-boot", "spring-aop", "spring-beans", "spring-context", "spring-core", "spring-expression",
			"snakeyaml", "jackson-core", "jackson-databind");

	private static final List<String> PAHO = List.of("org.eclipse.paho.mqttv5.client");

	private static final List<String> HIVEMQ = List.of("hivemq-mqtt-client", "rxjava", "reactive-streams", "dagger",
			"javax.inject", "jctools-core", "netty-buffer", "netty-codec", "netty-codec-base", "netty-common",
			"netty-handler", "netty-resolver", "netty-transport", "netty-transport-native-unix-common");

	private static final List<String> INTEGRATION = List.of("spring-integration-mqtt", "spring-integration-core",
			"spring-messaging", "spring-tx", "reactor-core", "reactive-streams", "org.eclipse.paho.mqttv5.client");

	private static final List<String> STARTER = List.of("mqtt-spring-boot-autoconfigure", "spring-integration-mqtt",
			"spring-integration-core", "spring-messaging", "spring-tx", "reactor-core", "reactive-streams",
			"org.eclipse.paho.mqttv5.client", "org.eclipse.paho.client.mqttv3");

	private static final Pattern RESULT = Pattern.compile(Pattern.quote(FirstMessageProbe.RESULT_PREFIX)
			+ "jvmToMainMs=(\\d+) mainToConnectedMs=(\\d+) connectedToFirstMs=(\\d+) jvmToFirstMs=(\\d+) classes=(\\d+)");

	private static final long PROBE_TIMEOUT_SECONDS = 60;

	private FirstMessageBenchmark() {
	}

	/**
	 * Start {@code runs} JVMs of each selected side, in rotation, after one discarded JVM
	 * of each.
	 * @param brokerUrl the broker
	 * @param sides the sides ({@code raw}, {@code starter}, {@code hivemq},
	 * {@code integration})
	 * @param runs the number of JVMs of each side
	 * @return the results, one per side
	 * @throws Exception if a JVM fails
	 */
	static List<Result> run(String brokerUrl, List<String> sides, int runs) throws Exception {
		Map<String, List<String>> classPaths = new LinkedHashMap<>();
		for (String side : sides) {
			classPaths.put(side, classPath(side));
		}
		List<String> kinds = new ArrayList<>(classPaths.keySet());
		for (String kind : kinds) {
			probe(classPaths.get(kind), kind, brokerUrl);
		}
		Map<String, List<Sample>> samples = new LinkedHashMap<>();
		for (int i = 0; i < runs; i++) {
			for (int j = 0; j < kinds.size(); j++) {
				String kind = kinds.get((i + j) % kinds.size());
				samples.computeIfAbsent(kind, (k) -> new ArrayList<>()).add(probe(classPaths.get(kind), kind, brokerUrl));
			}
		}
		List<Result> results = new ArrayList<>();
		for (String kind : kinds) {
			results.add(new Result(kind, classPaths.get(kind).size() - 1, samples.get(kind)));
		}
		return results;
	}

	/**
	 * Return the class path of a side: the benchmark's classes and the jars of that kind
	 * of application, taken from this JVM's class path.
	 * @param side the side
	 * @return the class path entries
	 */
	static List<String> classPath(String side) {
		List<String> artifacts = new ArrayList<>();
		switch (side) {
			case "raw" -> artifacts.addAll(PAHO);
			case "hivemq" -> artifacts.addAll(HIVEMQ);
			case "integration" -> {
				artifacts.addAll(SPRING_BOOT);
				artifacts.addAll(INTEGRATION);
			}
			case "starter" -> {
				artifacts.addAll(SPRING_BOOT);
				artifacts.addAll(STARTER);
			}
			default -> throw new IllegalArgumentException("Unknown side " + side);
		}
		List<String> result = new ArrayList<>();
		for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
			String artifact = artifactOf(entry);
			if ("benchmark".equals(artifact) || artifacts.contains(artifact)) {
				result.add(entry);
			}
		}
		return result;
	}

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

	private static Sample probe(List<String> classPath, String kind, String url)
			throws IOException, InterruptedException {
		String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
		List<String> command = List.of(java, "-cp", String.join(File.pathSeparator, classPath),
				FirstMessageProbe.class.getName(), kind, url);
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
					long launchToFirst = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
					sample = new Sample(launchToFirst, Long.parseLong(matcher.group(1)),
							Long.parseLong(matcher.group(2)), Long.parseLong(matcher.group(3)),
							Long.parseLong(matcher.group(4)), Long.parseLong(matcher.group(5)));
				}
			}
		}
		if (!process.waitFor(PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
			process.destroyForcibly();
		}
		if (sample == null) {
			throw new IllegalStateException("The first-message probe (" + kind + ") printed no result");
		}
		return sample;
	}

	/**
	 * One JVM.
	 * @param launchToFirstMs from process launch (parent's clock) to the result line
	 * @param jvmToMainMs from the JVM's start time to {@code main}
	 * @param mainToConnectedMs from {@code main} to the side connected and subscribed
	 * @param connectedToFirstMs from then to the first message received
	 * @param jvmToFirstMs from the JVM's start time to the first message received
	 * @param classes the classes loaded by then
	 */
	record Sample(long launchToFirstMs, long jvmToMainMs, long mainToConnectedMs, long connectedToFirstMs,
			long jvmToFirstMs, long classes) {

	}

	/**
	 * The samples of one side.
	 * @param kind the side
	 * @param jars the jars on its class path
	 * @param samples the JVMs
	 */
	record Result(String kind, int jars, List<Sample> samples) {

		long median(ToLongFunction<Sample> value) {
			long[] values = this.samples.stream().mapToLong(value).sorted().toArray();
			return (values.length == 0) ? 0 : values[values.length / 2];
		}

		@Override
		public String toString() {
			return this.kind + " " + Arrays.toString(this.samples.stream().mapToLong(Sample::jvmToFirstMs).toArray());
		}

	}

}
