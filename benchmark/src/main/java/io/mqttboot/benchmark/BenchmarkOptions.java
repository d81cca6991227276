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

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The options of the benchmark, from {@code --name=value} arguments or
 * {@code -Dbenchmark.name=value} system properties.
 *
 * @param brokerUrl an external broker, or {@code null} to embed HiveMQ CE
 * @param receiveMaximum the server Receive Maximum of the embedded broker, or
 * {@code null} for HiveMQ's default (10)
 * @param warmupRounds rounds run but not counted
 * @param rounds measured rounds
 * @param messages messages per throughput run
 * @param maxRunSeconds the longest a throughput run publishes
 * @param rate messages per second of the latency runs
 * @param latencySeconds duration of each latency run
 * @param qos the QoS levels
 * @param startupRuns JVMs of each kind for the startup measurement, 0 to skip it
 * @param maxMinutes the whole run is stopped after this long
 * @param rawTcpNoDelay whether raw Paho's sockets set {@code TCP_NODELAY} (Paho does not
 * by itself; the starter does)
 * @param rawBufferedReads whether raw Paho uses the starter's own sockets (with
 * {@code TCP_NODELAY} and buffered reads) instead of Paho's
 * @param maxQueueSize the per-client queue limit of the embedded broker (HiveMQ's
 * default is 1000)
 * @param rawConnections 2 (a publisher and a subscriber connection) or 1 (both on one
 * connection, like the starter)
 * @param sides the sides to run, comma-separated: {@code raw}, {@code starter}, {@code hivemq} (the
 * HiveMQ MQTT client), {@code integration} (a hand-written Spring Integration application)
 * @param threadCpu whether to print the CPU time of each group of threads per
 * throughput run
 * @param observations whether to compare the starter with observations off against
 * on, instead of raw Paho against the starter
 * @param firstMessageRuns fresh JVMs of each selected side for the time to the first
 * message, 0 to skip it
 * @author mqttboot
 */
record BenchmarkOptions(@Nullable String brokerUrl, @Nullable Integer receiveMaximum, int warmupRounds, int rounds,
		int messages, int maxRunSeconds, int rate, int latencySeconds, int[] qos, int startupRuns, int maxMinutes,
		boolean rawTcpNoDelay, boolean rawBufferedReads, int maxQueueSize, int rawConnections, String sides,
		boolean threadCpu, boolean observations, int firstMessageRuns) {

	static final String USAGE = """
			Options (--name=value, or -Dbenchmark.name=value):
			  --broker-url=tcp://127.0.0.1:PORT  use this broker (loopback only) instead of embedded HiveMQ CE
			  --receive-maximum=N                server Receive Maximum of the embedded broker (default: HiveMQ's 10)
			  --warmup-rounds=1 --rounds=8       rounds (raw and starter interleaved), warm-up rounds are not counted
			  --messages=20000                   messages per throughput run
			  --max-run-seconds=5                a throughput run publishes for at most this long
			  --rate=1000 --latency-seconds=2    fixed rate and duration of each latency run
			  --qos=0,1,2                        QoS levels
			  --startup-runs=5                   fresh JVMs of each kind for startup time (0 skips)
			  --raw-tcp-nodelay=true             raw Paho sets TCP_NODELAY, as the starter does (false: Paho's own
			                                     sockets, with Nagle's algorithm)
			  --raw-buffered-reads=false         true: raw Paho uses the starter's sockets (TCP_NODELAY, buffered
			                                     reads; false: Paho's own unbuffered reads)
			  --max-queue-size=100000            per-client queue limit of the embedded broker (HiveMQ's default: 1000;
			                                     above the messages of a run, so that the broker never discards)
			  --raw-connections=2                1: raw Paho publishes and subscribes on one connection, like the starter
			  --sides=raw,starter                the sides, in this order: raw, starter, hivemq (HiveMQ MQTT client),
			                                     integration (hand-written Spring Integration application);
			                                     one side only for profiling
			  --first-message-runs=0             fresh JVMs of each selected side for the time from JVM start to
			                                     the first message received (0 skips)
			  --thread-cpu=false                 print the CPU time per message of each group of threads
			  --observations=false               true: the starter with observations off against on (a
			                                     SimpleMeterRegistry and a no-op tracer), instead of raw Paho
			  --max-minutes=10                   hard stop""";

	static BenchmarkOptions parse(String[] args) {
		Map<String, String> values = new HashMap<>();
		System.getProperties().forEach((key, value) -> {
			if (key.toString().startsWith("benchmark.")) {
				values.put(key.toString().substring("benchmark.".length()), value.toString());
			}
		});
		for (String arg : args) {
			if (arg.equals("--help") || arg.equals("-h")) {
				System.out.println(USAGE);
				System.exit(0);
			}
			if (!arg.startsWith("--") || !arg.contains("=")) {
				throw new IllegalArgumentException("Unknown argument '" + arg + "'\n" + USAGE);
			}
			int equals = arg.indexOf('=');
			values.put(arg.substring(2, equals), arg.substring(equals + 1));
		}
		BenchmarkOptions options = new BenchmarkOptions(values.remove("broker-url"),
				integer(values.remove("receive-maximum"), null), integer(values.remove("warmup-rounds"), 1),
				integer(values.remove("rounds"), 8), integer(values.remove("messages"), 20_000),
				integer(values.remove("max-run-seconds"), 5),
				integer(values.remove("rate"), 1000), integer(values.remove("latency-seconds"), 2),
				Arrays.stream(values.getOrDefault("qos", "0,1,2").split(",")).mapToInt(Integer::parseInt).toArray(),
				integer(values.remove("startup-runs"), 5), integer(values.remove("max-minutes"), 10),
				Boolean.parseBoolean(values.getOrDefault("raw-tcp-nodelay", "true")),
				Boolean.parseBoolean(values.getOrDefault("raw-buffered-reads", "false")),
				integer(values.remove("max-queue-size"), 100_000),
				integer(values.remove("raw-connections"), 2), values.getOrDefault("sides", "raw,starter"),
				Boolean.parseBoolean(values.getOrDefault("thread-cpu", "false")),
				Boolean.parseBoolean(values.getOrDefault("observations", "false")),
				integer(values.remove("first-message-runs"), 0));
		values.remove("thread-cpu");
		values.remove("observations");
		values.remove("sides");
		values.remove("raw-tcp-nodelay");
		values.remove("raw-buffered-reads");
		values.remove("qos");
		if (!values.isEmpty()) {
			throw new IllegalArgumentException("Unknown option(s) " + values.keySet() + "\n" + USAGE);
		}
		return options;
	}

	private static @Nullable Integer integer(@Nullable String value, @Nullable Integer defaultValue) {
		return (value != null) ? Integer.valueOf(value.trim()) : defaultValue;
	}

}
