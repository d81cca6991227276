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

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.metrics.buffering.StartupTimeline.TimelineEvent;
import org.springframework.core.metrics.StartupStep;

/**
 * Run in a fresh JVM by {@link FirstMessageBenchmark}: builds one side the way the
 * benchmark does (connected and subscribed), publishes a QoS 1 message to its own
 * subscriber every 10 ms until one arrives, and prints when that happened, counted from
 * the JVM's start.
 * <p>
 * Arguments: {@code raw|hivemq|integration|starter <url> [steps]}; {@code steps} (Spring
 * sides only) records the startup with a {@link BufferingApplicationStartup} and prints
 * where the time went.
 *
 * @author mqttboot
 */
public final class FirstMessageProbe {

	/**
	 * The prefix of the line that reports the result.
	 */
	static final String RESULT_PREFIX = "FIRST-MESSAGE ";

	private static final int ATTEMPTS = 3000;

	private FirstMessageProbe() {
	}

	/**
	 * Build the side, wait for the first message, print the result line and exit.
	 * @param args {@code raw|hivemq|integration|starter <url> [steps]}
	 * @throws Exception if the side does not start
	 */
	public static void main(String[] args) throws Exception {
		long mainNanos = System.nanoTime();
		long mainEpochMillis = System.currentTimeMillis();
		String kind = args[0];
		String url = args[1];
		boolean steps = args.length > 2 && "steps".equals(args[2]);
		BenchmarkSide side = switch (kind) {
			case "raw" -> new RawPahoSide(url, 100, new NoDelaySocketFactory(), "TCP_NODELAY", 2);
			case "hivemq" -> new HiveMqClientSide(url, 100);
			case "integration", "starter" -> Steps.side(kind, url, steps);
			default -> throw new IllegalArgumentException("Unknown side " + kind);
		};
		long connectedNanos = System.nanoTime();
		int classesConnected = loadedClasses();
		Recorder recorder = new Recorder(1, ATTEMPTS);
		side.receiveWith(recorder);
		String topic = side.topic(1, 1);
		int attempts = 0;
		long next = System.nanoTime();
		while (recorder.received() == 0) {
			long now = System.nanoTime();
			if (attempts == ATTEMPTS) {
				throw new IllegalStateException(kind + ": no message within " + ATTEMPTS + " attempts");
			}
			if (now - next >= 0) {
				side.publish(topic, Payloads.create(1, attempts++, now), 1, new Acks());
				next = now + TimeUnit.MILLISECONDS.toNanos(10);
			}
			LockSupport.parkNanos(100_000);
		}
		long firstNanos = recorder.lastReceiveNanos();
		long jvmToMain = mainEpochMillis - ManagementFactory.getRuntimeMXBean().getStartTime();
		System.out.println(RESULT_PREFIX + "jvmToMainMs=" + jvmToMain + " mainToConnectedMs="
				+ TimeUnit.NANOSECONDS.toMillis(connectedNanos - mainNanos) + " connectedToFirstMs="
				+ TimeUnit.NANOSECONDS.toMillis(firstNanos - connectedNanos) + " jvmToFirstMs="
				+ (jvmToMain + TimeUnit.NANOSECONDS.toMillis(firstNanos - mainNanos)) + " classes=" + loadedClasses()
				+ " classesConnected=" + classesConnected + " attempts=" + attempts + " threads="
				+ Thread.activeCount() + (kind.equals("integration") || kind.equals("starter")
						? " mainToRunReturnedMs=" + Steps.mainToRunReturnedMs(side, mainNanos) : ""));
		if (steps) {
			Steps.print();
		}
		System.out.flush();
		side.close();
		System.exit(0);
	}

	private static int loadedClasses() {
		return ManagementFactory.getClassLoadingMXBean().getLoadedClassCount();
	}

	/**
	 * The Spring sides, in a class of their own so that raw Paho and the HiveMQ client
	 * run without Spring on the class path.
	 */
	static final class Steps {

		private static @Nullable BufferingApplicationStartup startup;

		private Steps() {
		}

		static long mainToRunReturnedMs(BenchmarkSide side, long mainNanos) {
			long returned = (side instanceof StarterSide starter) ? starter.runReturnedNanos
					: (side instanceof SpringIntegrationSide integration) ? integration.runReturnedNanos : mainNanos;
			return TimeUnit.NANOSECONDS.toMillis(returned - mainNanos);
		}

		static BenchmarkSide side(String kind, String url, boolean steps) {
			BufferingApplicationStartup recording = steps ? new BufferingApplicationStartup(50_000) : null;
			startup = recording;
			return kind.equals("starter") ? new StarterSide(url, "starter", false, recording)
					: new SpringIntegrationSide(url, 10, recording);
		}

		/**
		 * Print the recorded startup steps: the top-level ones, the context refresh's
		 * children, and the time spent creating beans (self time, without the beans each one
		 * needed) by where their type comes from.
		 */
		static void print() {
			BufferingApplicationStartup startup = Steps.startup;
			if (startup == null) {
				return;
			}
			List<TimelineEvent> events = startup.getBufferedTimeline().getEvents();
			Map<Long, Long> childNanos = new HashMap<>();
			Map<Long, TimelineEvent> byId = new HashMap<>();
			for (TimelineEvent event : events) {
				byId.put(event.getStartupStep().getId(), event);
				Long parent = event.getStartupStep().getParentId();
				if (parent != null) {
					childNanos.merge(parent, event.getDuration().toNanos(), Long::sum);
				}
			}
			long timelineStart = startup.getBufferedTimeline().getStartTime().toEpochMilli();
			System.out.println("STEPS top level and spring.context.refresh's children (>= 5 ms), ms from the "
					+ "application's start:");
			for (TimelineEvent event : events) {
				StartupStep step = event.getStartupStep();
				Long parent = step.getParentId();
				boolean refreshChild = parent != null && byId.containsKey(parent)
						&& byId.get(parent).getStartupStep().getName().equals("spring.context.refresh");
				if ((parent == null || refreshChild) && event.getDuration().toMillis() >= 5) {
					String beanName = tag(step, "beanName");
					System.out.printf(Locale.ROOT, "STEPS   %s%-50s at %5d, %5d ms%s%n", (parent == null) ? "" : "  ",
							step.getName(), event.getStartTime().toEpochMilli() - timelineStart,
							event.getDuration().toMillis(), (beanName != null) ? " " + beanName : "");
				}
			}
			Map<String, Long> selfByOrigin = new TreeMap<>();
			Map<String, Integer> beansByOrigin = new TreeMap<>();
			List<String[]> slowest = new ArrayList<>();
			for (TimelineEvent event : events) {
				StartupStep step = event.getStartupStep();
				if (!step.getName().equals("spring.beans.instantiate")) {
					continue;
				}
				long self = event.getDuration().toNanos() - childNanos.getOrDefault(step.getId(), 0L);
				String beanName = tag(step, "beanName");
				String beanType = tag(step, "beanType");
				String origin = origin(beanType, beanName);
				selfByOrigin.merge(origin, self, Long::sum);
				beansByOrigin.merge(origin, 1, Integer::sum);
				slowest.add(new String[] { String.valueOf(self), beanName + " (" + beanType + ")" });
			}
			System.out.println("STEPS bean creation, self time by origin of the bean type:");
			selfByOrigin.forEach((origin, nanos) -> System.out.printf(Locale.ROOT, "STEPS   %-40s %5.0f ms, %d beans%n",
					origin, nanos / 1e6, beansByOrigin.get(origin)));
			slowest.sort(Comparator.comparingLong((String[] entry) -> Long.parseLong(entry[0])).reversed());
			System.out.println("STEPS slowest beans (self time):");
			slowest.stream()
				.limit(15)
				.forEach((entry) -> System.out.printf(Locale.ROOT, "STEPS   %6.1f ms %s%n", Long.parseLong(entry[0]) / 1e6,
						entry[1]));
		}

		private static @Nullable String tag(StartupStep step, String key) {
			for (StartupStep.Tag tag : step.getTags()) {
				if (tag.getKey().equals(key)) {
					return tag.getValue();
				}
			}
			return null;
		}

		private static String origin(@Nullable String beanType, @Nullable String beanName) {
			if (beanType == null) {
				// a bean method whose type is not known before it runs: the starter's are named mqtt*
				return (beanName != null && beanName.startsWith("mqtt")) ? "io.mqttboot (by bean name)"
						: "unknown type";
			}
			String type = beanType.replaceFirst("^(class|interface) ", "");
			String[] prefixes = { "io.mqttboot", "org.springframework.integration", "org.springframework.boot",
					"org.springframework.messaging", "org.springframework.context", "org.springframework.scheduling",
					"org.springframework", "tools.jackson" };
			for (String prefix : prefixes) {
				if (type.startsWith(prefix)) {
					return prefix;
				}
			}
			return "other";
		}


	}

}
