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
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * CPU time and allocated bytes per thread, grouped by thread name (digits folded), between two snapshots:
 * shows which threads (broker, Paho, listener, publisher) a side's messages cost.
 *
 * @author mqttboot
 */
final class ThreadCpu {

	private static final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

	private final Map<Long, Long> cpu = new HashMap<>();

	private final Map<Long, Long> allocated = new HashMap<>();

	private final Map<Long, String> names = new HashMap<>();

	private ThreadCpu() {
	}

	/**
	 * Take a snapshot of the CPU time of every live thread.
	 * @return the snapshot
	 */
	static ThreadCpu snapshot() {
		ThreadCpu snapshot = new ThreadCpu();
		for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
			if (info != null) {
				long time = threads.getThreadCpuTime(info.getThreadId());
				if (time >= 0) {
					snapshot.cpu.put(info.getThreadId(), time);
					snapshot.names.put(info.getThreadId(), info.getThreadName());
					if (threads instanceof com.sun.management.ThreadMXBean hotspot) {
						snapshot.allocated.put(info.getThreadId(), hotspot.getThreadAllocatedBytes(info.getThreadId()));
					}
				}
			}
		}
		return snapshot;
	}

	/**
	 * Describe the CPU time spent since an earlier snapshot, per group of threads and
	 * message.
	 * @param before the earlier snapshot
	 * @param messages the messages of the run
	 * @return one line per group, largest first
	 */
	String since(ThreadCpu before, int messages) {
		Map<String, Long> groups = new TreeMap<>();
		Map<String, Long> bytes = new HashMap<>();
		this.cpu.forEach((id, time) -> {
			long spent = time - before.cpu.getOrDefault(id, 0L);
			if (spent > 0) {
				String group = this.names.get(id).replaceAll("[0-9]+", "#");
				groups.merge(group, spent, Long::sum);
				bytes.merge(group, this.allocated.getOrDefault(id, 0L) - before.allocated.getOrDefault(id, 0L),
						Long::sum);
			}
		});
		return groups.entrySet()
			.stream()
			.filter((entry) -> entry.getValue() / 1e3 / messages >= 0.5)
			.sorted(Map.Entry.<String, Long>comparingByValue().reversed())
			.map((entry) -> String.format(Locale.ROOT, "      %6.1f us/msg %7.0f bytes/msg  %s",
					entry.getValue() / 1e3 / messages, (double) bytes.getOrDefault(entry.getKey(), 0L) / messages,
					entry.getKey()))
			.collect(Collectors.joining("\n"));
	}

}
