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

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.sun.management.OperatingSystemMXBean;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * End-to-end benchmark of the starter against raw Paho v5 on one broker: the starter
 * ({@code MqttTemplate} → broker → {@code @MqttListener}, one connection) and raw Paho
 * (an {@code MqttAsyncClient} publisher → broker → an {@code MqttAsyncClient}
 * subscriber) run interleaved, with 100-byte payloads at QoS 0, 1 and 2:
 * <ul>
 * <li>throughput: N messages as fast as the in-flight window allows, messages per
 * second from the first send to the last receive, messages lost or duplicated;</li>
 * <li>latency: a fixed rate for a few seconds, p50 and p99 of the time from the send
 * call to the receiving application code;</li>
 * <li>startup: time to a ready application (connected) with the starter against a plain
 * Spring Boot application, in fresh JVMs.</li>
 * </ul>
 * Run it with {@code ./mvnw -q -pl benchmark spring-boot:run}; options are listed by
 * {@code -Dspring-boot.run.arguments=--help}.
 *
 * @author mqttboot
 */
public final class EndToEndBenchmark {

	// Paho logs each inbound QoS 2 message at INFO through java.util.logging: keep a
	// strong reference, JUL only holds loggers weakly.
	private static final Logger PAHO_LOGGER = Logger.getLogger("org.eclipse.paho");

	/**
	 * The logback configuration of the benchmark JVM.
	 */
	static final String LOGBACK_CONFIG = "benchmark-logback.xml";

	private static final int MAX_INFLIGHT = 100;

	private static final long ACK_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

	private static final long RECEIVE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

	private static final long RECEIVE_IDLE_NANOS = TimeUnit.SECONDS.toNanos(2);

	private final BenchmarkOptions options;

	private final Map<String, List<ThroughputSample>> throughput = new LinkedHashMap<>();

	private final Map<String, List<LatencySample>> latency = new LinkedHashMap<>();

	private int phase;

	private EndToEndBenchmark(BenchmarkOptions options) {
		this.options = options;
	}

	/**
	 * Run the benchmark and print the results.
	 * @param args options, see {@code --help}
	 * @throws Exception if the benchmark cannot run
	 */
	public static void main(String[] args) throws Exception {
		// HiveMQ CE ships a logback.xml: configure logback with ours before HiveMQ logs, then
		// leave logging to Spring Boot (which warns about this property)
		System.setProperty("logback.configurationFile", LOGBACK_CONFIG);
		LoggerFactory.getILoggerFactory();
		System.clearProperty("logback.configurationFile");
		BenchmarkOptions options = BenchmarkOptions.parse(args);
		startWatchdog(options.maxMinutes());
		PAHO_LOGGER.setLevel(Level.WARNING);
		int exitCode = 0;
		try {
			new EndToEndBenchmark(options).run();
		}
		catch (Throwable ex) {
			ex.printStackTrace();
			exitCode = 1;
		}
		System.out.flush();
		// HiveMQ and Paho leave non-daemon threads behind
		System.exit(exitCode);
	}

	private void run() throws Exception {
		long begin = System.nanoTime();
		printEnvironment();
		try (BenchmarkBroker broker = (this.options.brokerUrl() != null)
				? BenchmarkBroker.external(this.options.brokerUrl())
				: BenchmarkBroker.embedded(this.options.receiveMaximum(), this.options.maxQueueSize())) {
			if (this.options.observations()) {
				runObservations(broker);
				System.out.printf(Locale.ROOT, "%nTotal time: %.0f s%n", (System.nanoTime() - begin) / 1e9);
				return;
			}
			try (StarterSide starter = new StarterSide(broker.url());
					RawPahoSide raw = rawPaho(broker.url(), starter);
					Peers peers = new Peers()) {
				System.out.println("Broker:  " + broker.describe(raw.getServerReceiveMaximum()));
				System.out.println("Raw:     " + raw.describe());
				System.out.println("Starter: " + starter.describe());
				List<String> selected = List.of(this.options.sides().split(","));
				if (selected.contains("hivemq")) {
					peers.hiveMq = new HiveMqClientSide(broker.url(), MAX_INFLIGHT);
					System.out.println("HiveMQ:  " + peers.hiveMq.describe());
				}
				if (selected.contains("integration")) {
					peers.integration = new SpringIntegrationSide(broker.url(),
							Math.min(MAX_INFLIGHT, raw.getServerReceiveMaximum()), null);
					System.out.println("SI:      " + peers.integration.describe());
				}
				System.out.println();
				List<BenchmarkSide> sides = new ArrayList<>();
				for (BenchmarkSide side : Arrays.asList(raw, starter, peers.hiveMq, peers.integration)) {
					if (side != null && selected.contains(sideKey(side))) {
						sides.add(side);
					}
				}
				runRounds(sides);
				if (sides.contains(raw) && sides.contains(starter) && this.options.rounds() > 0) {
					printResults(raw, starter);
					if (sides.size() > 2) {
						printPeerResults(sides, raw, starter);
					}
				}
			}
			if (this.options.firstMessageRuns() > 0) {
				System.out.println();
				System.out.println("First message: " + this.options.firstMessageRuns() + " fresh JVMs of each side, "
						+ "in rotation (after one discarded JVM of each) ...");
				printFirstMessage(FirstMessageBenchmark.run(broker.url(), List.of(this.options.sides().split(",")),
						this.options.firstMessageRuns()));
			}
			if (this.options.startupRuns() > 0) {
				System.out.println();
				System.out.println("Startup: " + this.options.startupRuns() + " fresh JVMs of each kind, in rotation "
						+ "(after one discarded JVM of each) ...");
				printStartup(StartupBenchmark.run(broker.url(), this.options.startupRuns()));
			}
		}
		System.out.printf(Locale.ROOT, "%nTotal time: %.0f s%n", (System.nanoTime() - begin) / 1e9);
	}

	// The starter with observations off against on, in two applications on the same
	// broker (each with its own connection and topics), interleaved like raw and starter
	private void runObservations(BenchmarkBroker broker) throws Exception {
		try (StarterSide plain = new StarterSide(broker.url(), "starter", false);
				StarterSide observed = new StarterSide(broker.url(), "observed", true)) {
			System.out.println("Broker:   " + broker.describe(plain.serverReceiveMaximum()));
			System.out.println("Starter:  " + plain.describe());
			System.out.println("Observed: " + observed.describe());
			System.out.println();
			runRounds(List.of(plain, observed));
			System.out.println();
			System.out.println("Observed side: " + observed.describeObservations());
			if (this.options.rounds() > 0) {
				printObservationResults(plain, observed);
			}
		}
	}

	private void runRounds(List<BenchmarkSide> sides) throws InterruptedException {
		for (BenchmarkSide side : sides) {
			for (int qos : this.options.qos()) {
				awaitReady(side, qos);
			}
		}
		int totalRounds = this.options.warmupRounds() + this.options.rounds();
		for (int round = 0; round < totalRounds; round++) {
			boolean measured = round >= this.options.warmupRounds();
			List<BenchmarkSide> order = new ArrayList<>(sides);
			if (round % 2 == 1) {
				Collections.reverse(order);
			}
			System.out.printf(Locale.ROOT, "Round %d/%d%s (%s first)%n", round + 1, totalRounds,
					measured ? "" : " (warm-up, not counted)", order.get(0).name());
			for (int qos : this.options.qos()) {
				for (BenchmarkSide side : order) {
					ThroughputSample sample = throughput(side, qos);
					System.out.println("  " + sample);
					if (measured) {
						this.throughput.computeIfAbsent(key(side, qos), (k) -> new ArrayList<>()).add(sample);
					}
				}
				for (BenchmarkSide side : order) {
					LatencySample sample = latency(side, qos);
					System.out.println("  " + sample);
					if (measured) {
						this.latency.computeIfAbsent(key(side, qos), (k) -> new ArrayList<>()).add(sample);
					}
				}
			}
		}
	}

	private void printObservationResults(StarterSide plain, StarterSide observed) {
		System.out.println();
		System.out.println("Observation cost: throughput (median of " + this.options.rounds() + " rounds, min-max in "
				+ "brackets; CPU: this whole JVM per message) and latency at " + this.options.rate()
				+ " msg/s (pooled, ms)");
		System.out.println();
		System.out.println("| QoS | off msg/s | on msg/s | on/off | per-round on/off | CPU us/msg off / on "
				+ "| p50 off / on | on - off p50 | p99 off / on | lost off / on |");
		System.out.println("|---|---|---|---|---|---|---|---|---|---|");
		List<String> verdicts = new ArrayList<>();
		for (int qos : this.options.qos()) {
			List<ThroughputSample> off = this.throughput.get(key(plain, qos));
			List<ThroughputSample> on = this.throughput.get(key(observed, qos));
			double ratio = median(on) / median(off);
			long[] offLatencies = pooled(this.latency.get(key(plain, qos)));
			long[] onLatencies = pooled(this.latency.get(key(observed, qos)));
			double delta = millis(percentile(onLatencies, 50)) - millis(percentile(offLatencies, 50));
			int offLost = off.stream().mapToInt(ThroughputSample::lost).sum()
					+ this.latency.get(key(plain, qos)).stream().mapToInt(LatencySample::lost).sum();
			int onLost = on.stream().mapToInt(ThroughputSample::lost).sum()
					+ this.latency.get(key(observed, qos)).stream().mapToInt(LatencySample::lost).sum();
			System.out.printf(Locale.ROOT,
					"| %d | %s | %s | %.2f | %s | %.1f / %.1f | %.3f / %.3f | %+.3f | %.3f / %.3f | %d / %d |%n", qos,
					range(off), range(on), ratio, pairedRatios(off, on), medianCpu(off), medianCpu(on),
					millis(percentile(offLatencies, 50)), millis(percentile(onLatencies, 50)), delta,
					millis(percentile(offLatencies, 99)), millis(percentile(onLatencies, 99)), offLost, onLost);
			verdicts.add(String.format(Locale.ROOT, "QoS %d throughput on/off %.2f: %s", qos, ratio,
					(ratio >= 0.95) ? "meets (at most 5% less)" : "MISSES (more than 5% less)"));
			verdicts.add(String.format(Locale.ROOT, "QoS %d p50 latency added by observations %+.3f ms: %s", qos,
					delta, (delta <= 0.02) ? "meets (at most +0.02 ms)" : "MISSES (more than +0.02 ms)"));
		}
		System.out.println();
		System.out.println("Targets:");
		verdicts.forEach((verdict) -> System.out.println("  " + verdict));
	}

	// Raw Paho's sockets: Paho's own, with TCP_NODELAY (the default), or the starter's.
	private RawPahoSide rawPaho(String url, StarterSide starter) throws MqttException {
		if (this.options.rawBufferedReads()) {
			return new RawPahoSide(url, MAX_INFLIGHT, starter.socketFactory(),
					"the starter's sockets (TCP_NODELAY, buffered reads)", this.options.rawConnections());
		}
		if (this.options.rawTcpNoDelay()) {
			return new RawPahoSide(url, MAX_INFLIGHT, new NoDelaySocketFactory(), "TCP_NODELAY",
					this.options.rawConnections());
		}
		return new RawPahoSide(url, MAX_INFLIGHT, null, "Paho's own sockets (Nagle's algorithm on)",
				this.options.rawConnections());
	}

	/**
	 * The peers the options select, closed with the run.
	 */
	private static final class Peers implements AutoCloseable {

		@Nullable HiveMqClientSide hiveMq;

		@Nullable SpringIntegrationSide integration;

		@Override
		public void close() {
			if (this.integration != null) {
				this.integration.close();
			}
			if (this.hiveMq != null) {
				this.hiveMq.close();
			}
		}

	}

	private static String key(BenchmarkSide side, int qos) {
		return side.name() + "/" + qos;
	}

	private void awaitReady(BenchmarkSide side, int qos) throws InterruptedException {
		for (int attempt = 0; attempt < 20; attempt++) {
			int phase = ++this.phase;
			Recorder recorder = new Recorder(phase, 1);
			side.receiveWith(recorder);
			side.publish(side.topic(qos, phase), Payloads.create(phase, 0, System.nanoTime()), qos, new Acks());
			long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
			while (System.nanoTime() - deadline < 0) {
				if (recorder.received() > 0) {
					return;
				}
				LockSupport.parkNanos(1_000_000);
			}
		}
		throw new IllegalStateException(side.name() + " receives nothing at QoS " + qos);
	}

	private ThroughputSample throughput(BenchmarkSide side, int qos) throws InterruptedException {
		int messages = this.options.messages();
		int phase = startPhase();
		String topic = side.topic(qos, phase);
		Recorder recorder = new Recorder(phase, messages);
		side.receiveWith(recorder);
		Acks acks = new Acks();
		@Nullable ThreadCpu threadsBegin = this.options.threadCpu() ? ThreadCpu.snapshot() : null;
		long cpuBegin = processCpuNanos();
		long begin = System.nanoTime();
		long stop = begin + TimeUnit.SECONDS.toNanos(this.options.maxRunSeconds());
		int sent = 0;
		while (sent < messages && ((sent & 0xFF) != 0 || System.nanoTime() - stop < 0)) {
			side.publish(topic, Payloads.create(phase, sent, System.nanoTime()), qos, acks);
			sent++;
		}
		acks.await(sent, begin + ACK_TIMEOUT_NANOS);
		long acknowledged = System.nanoTime();
		awaitReceived(recorder, sent);
		long cpu = processCpuNanos() - cpuBegin;
		if (threadsBegin != null) {
			System.out.println("    CPU by thread, " + side.name() + " QoS " + qos + ":\n"
					+ ThreadCpu.snapshot().since(threadsBegin, sent));
		}
		int received = recorder.received();
		long last = recorder.lastReceiveNanos();
		double perSecond = (received > 0) ? received * 1e9 / (last - begin) : 0;
		return new ThroughputSample(side.name(), qos, sent, acks.failed(), received, recorder.duplicates(),
				perSecond, sent * 1e9 / (acknowledged - begin), cpu / 1e3 / sent, recorder.deliveredQos(),
				String.valueOf(acks.firstFailure()));
	}

	private LatencySample latency(BenchmarkSide side, int qos) throws InterruptedException {
		int rate = this.options.rate();
		int messages = rate * this.options.latencySeconds();
		long period = 1_000_000_000L / rate;
		int phase = startPhase();
		String topic = side.topic(qos, phase);
		Recorder recorder = new Recorder(phase, messages);
		side.receiveWith(recorder);
		Acks acks = new Acks();
		long begin = System.nanoTime();
		// a publisher that cannot keep the rate stops at twice the planned duration
		long stop = begin + 2 * messages * period;
		int sent = 0;
		while (sent < messages && System.nanoTime() - stop < 0) {
			long due = begin + sent * period;
			long wait;
			while ((wait = due - System.nanoTime()) > 0) {
				LockSupport.parkNanos(wait);
			}
			side.publish(topic, Payloads.create(phase, sent, System.nanoTime()), qos, acks);
			sent++;
		}
		double achievedRate = sent * 1e9 / (System.nanoTime() - begin);
		acks.await(sent, System.nanoTime() + ACK_TIMEOUT_NANOS);
		awaitReceived(recorder, sent);
		return new LatencySample(side.name(), qos, sent, acks.failed(), recorder.received(),
				recorder.duplicates(), achievedRate, recorder.latencies());
	}

	/**
	 * Start a phase with a clean heap, so that one side does not pay for the garbage of
	 * the other.
	 */
	private int startPhase() {
		System.gc();
		LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
		return ++this.phase;
	}

	/**
	 * Return the CPU time of this JVM (clients and, when embedded, the broker).
	 */
	private static long processCpuNanos() {
		if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
			return os.getProcessCpuTime();
		}
		return 0;
	}

	private static void awaitReceived(Recorder recorder, int expected) {
		long deadline = System.nanoTime() + RECEIVE_TIMEOUT_NANOS;
		int seen = -1;
		long progress = System.nanoTime();
		while (true) {
			int received = recorder.received();
			long now = System.nanoTime();
			if (received >= expected || now - deadline > 0) {
				return;
			}
			if (received != seen) {
				seen = received;
				progress = now;
			}
			else if (now - progress > RECEIVE_IDLE_NANOS) {
				return;
			}
			LockSupport.parkNanos(1_000_000);
		}
	}

	private void printEnvironment() {
		System.out.println("mqttboot end-to-end benchmark, " + LocalDate.now());
		System.out.println("Machine: " + Runtime.getRuntime().availableProcessors() + " cores (" + cpuModel() + "), "
				+ System.getProperty("os.name") + " " + System.getProperty("os.version") + ", Java "
				+ System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + "), max heap "
				+ Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB");
		System.out.printf(Locale.ROOT,
				"Runs: %d warm-up + %d measured rounds, %s interleaved (order alternates); "
						+ "%d-byte payloads; throughput: %,d messages per run (at most %d s); latency: %,d msg/s for %d s; "
				+ "QoS %s%n", this.options.warmupRounds(), this.options.rounds(),
				this.options.sides().equals("raw,starter") ? "raw and starter" : this.options.sides(), Payloads.SIZE, this.options.messages(),
				this.options.maxRunSeconds(),
				this.options.rate(), this.options.latencySeconds(), Arrays.toString(this.options.qos()));
		System.out.println("Paho's java.util.logging is at WARNING for both sides (it logs each inbound QoS 2 "
				+ "message at INFO; the starter lowers it too).");
	}

	private static String cpuModel() {
		try {
			return Files.readAllLines(Path.of("/proc/cpuinfo"))
				.stream()
				.filter((line) -> line.startsWith("model name"))
				.map((line) -> line.substring(line.indexOf(':') + 1).trim())
				.findFirst()
				.orElse("unknown CPU");
		}
		catch (IOException | RuntimeException ex) {
			return "unknown CPU";
		}
	}

	private void printResults(RawPahoSide raw, StarterSide starter) {
		System.out.println();
		System.out.println("Throughput (median of " + this.options.rounds() + " rounds, min-max in brackets; "
				+ "first send to last receive; CPU: this whole JVM, broker included, per message; lost and "
				+ "duplicated: totals over the rounds)");
		System.out.println();
		System.out.println("| QoS | raw Paho msg/s | starter msg/s | starter/raw | per-round starter/raw "
				+ "| CPU us/msg raw / starter | raw lost/dup | starter lost/dup | starter delivered at |");
		System.out.println("|---|---|---|---|---|---|---|---|---|");
		List<String> verdicts = new ArrayList<>();
		for (int qos : this.options.qos()) {
			List<ThroughputSample> rawSamples = this.throughput.get(key(raw, qos));
			List<ThroughputSample> starterSamples = this.throughput.get(key(starter, qos));
			double rawMedian = median(rawSamples);
			double starterMedian = median(starterSamples);
			double ratio = starterMedian / rawMedian;
			System.out.printf(Locale.ROOT, "| %d | %s | %s | %.2f | %s | %.1f / %.1f | %s | %s | QoS %d |%n", qos,
					range(rawSamples), range(starterSamples), ratio, pairedRatios(rawSamples, starterSamples),
					medianCpu(rawSamples), medianCpu(starterSamples),
					lostAndDuplicated(rawSamples), lostAndDuplicated(starterSamples),
					starterSamples.stream().mapToInt(ThroughputSample::deliveredQos).max().orElse(-1));
			verdicts.add(String.format(Locale.ROOT, "QoS %d throughput starter/raw %.2f: %s", qos, ratio,
					(ratio >= 0.95) ? "meets 90%, meets the 95% aim" : (ratio >= 0.90) ? "meets 90%" : "MISSES 90%"));
			int starterLost = starterSamples.stream().mapToInt(ThroughputSample::lost).sum()
					+ this.latency.get(key(starter, qos)).stream().mapToInt(LatencySample::lost).sum();
			if (qos > 0) {
				verdicts.add(String.format(Locale.ROOT, "QoS %d starter messages lost: %d: %s", qos, starterLost,
						(starterLost == 0) ? "meets" : "MISSES"));
			}
		}
		System.out.println();
		System.out.println("Latency at " + this.options.rate() + " msg/s (all measured rounds pooled; send call to "
				+ "the receiving code, ms)");
		System.out.println();
		System.out.println("| QoS | raw p50 | raw p99 | starter p50 | starter p99 | starter - raw p50 | raw lost "
				+ "| starter lost | lowest rate reached raw / starter, msg/s |");
		System.out.println("|---|---|---|---|---|---|---|---|---|");
		for (int qos : this.options.qos()) {
			long[] rawLatencies = pooled(this.latency.get(key(raw, qos)));
			long[] starterLatencies = pooled(this.latency.get(key(starter, qos)));
			double delta = millis(percentile(starterLatencies, 50)) - millis(percentile(rawLatencies, 50));
			System.out.printf(Locale.ROOT, "| %d | %.3f | %.3f | %.3f | %.3f | %+.3f | %d | %d | %,.0f / %,.0f |%n",
					qos,
					millis(percentile(rawLatencies, 50)), millis(percentile(rawLatencies, 99)),
					millis(percentile(starterLatencies, 50)), millis(percentile(starterLatencies, 99)), delta,
					this.latency.get(key(raw, qos)).stream().mapToInt(LatencySample::lost).sum(),
					this.latency.get(key(starter, qos)).stream().mapToInt(LatencySample::lost).sum(),
					lowestRate(this.latency.get(key(raw, qos))), lowestRate(this.latency.get(key(starter, qos))));
			verdicts.add(String.format(Locale.ROOT, "QoS %d p50 latency added by the starter %+.3f ms: %s", qos,
					delta, (delta < 0.1) ? "meets (< 0.1 ms)" : "MISSES (>= 0.1 ms)"));
		}
		System.out.println();
		System.out.println("Targets:");
		verdicts.forEach((verdict) -> System.out.println("  " + verdict));
	}

	// The starter against every other side: throughput ratios, CPU, and the p50 each side
	// adds against raw Paho
	private void printPeerResults(List<BenchmarkSide> sides, RawPahoSide raw, StarterSide starter) {
		List<BenchmarkSide> peers = new ArrayList<>(sides);
		peers.remove(starter);
		System.out.println();
		System.out.println("Peers: throughput (medians of " + this.options.rounds() + " rounds; starter / peer), CPU of "
				+ "this whole JVM per message (broker included when embedded), latency at " + this.options.rate()
				+ " msg/s (pooled, ms)");
		System.out.println();
		StringBuilder header = new StringBuilder("| QoS | starter msg/s |");
		StringBuilder rule = new StringBuilder("|---|---|");
		for (BenchmarkSide peer : peers) {
			header.append(" starter / ").append(peer.name()).append(" (per round) |");
			rule.append("---|");
		}
		header.append(" CPU us/msg ").append(names(sides)).append(" | p50 ").append(names(sides))
			.append(" | p50 - raw p50 ").append(names(sides)).append(" | p99 ").append(names(sides))
			.append(" | lost/dup ").append(names(sides)).append(" |");
		rule.append("---|---|---|---|---|");
		System.out.println(header);
		System.out.println(rule);
		for (int qos : this.options.qos()) {
			List<ThroughputSample> starterSamples = this.throughput.get(key(starter, qos));
			StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %d | %,.0f |", qos,
					median(starterSamples)));
			for (BenchmarkSide peer : peers) {
				List<ThroughputSample> peerSamples = this.throughput.get(key(peer, qos));
				row.append(String.format(Locale.ROOT, " %.2f (%s) |", median(starterSamples) / median(peerSamples),
						pairedRatios(peerSamples, starterSamples)));
			}
			double rawP50 = millis(percentile(pooled(this.latency.get(key(raw, qos))), 50));
			List<String> cpu = new ArrayList<>();
			List<String> p50 = new ArrayList<>();
			List<String> added = new ArrayList<>();
			List<String> p99 = new ArrayList<>();
			List<String> lost = new ArrayList<>();
			for (BenchmarkSide side : sides) {
				List<ThroughputSample> samples = this.throughput.get(key(side, qos));
				List<LatencySample> latencies = this.latency.get(key(side, qos));
				long[] pooled = pooled(latencies);
				cpu.add(String.format(Locale.ROOT, "%.1f", medianCpu(samples)));
				p50.add(String.format(Locale.ROOT, "%.3f", millis(percentile(pooled, 50))));
				added.add(String.format(Locale.ROOT, "%+.3f", millis(percentile(pooled, 50)) - rawP50));
				p99.add(String.format(Locale.ROOT, "%.3f", millis(percentile(pooled, 99))));
				lost.add((samples.stream().mapToInt(ThroughputSample::lost).sum()
						+ latencies.stream().mapToInt(LatencySample::lost).sum()) + "/"
						+ (samples.stream().mapToInt(ThroughputSample::duplicates).sum()
								+ latencies.stream().mapToInt(LatencySample::duplicates).sum()));
			}
			row.append(' ').append(String.join(" / ", cpu)).append(" | ").append(String.join(" / ", p50))
				.append(" | ").append(String.join(" / ", added)).append(" | ").append(String.join(" / ", p99))
				.append(" | ").append(String.join(" / ", lost)).append(" |");
			System.out.println(row);
		}
	}

	private static String names(List<BenchmarkSide> sides) {
		return sides.stream().map(BenchmarkSide::name).collect(java.util.stream.Collectors.joining(" / "));
	}

	private static String sideKey(BenchmarkSide side) {
		if (side instanceof RawPahoSide) {
			return "raw";
		}
		if (side instanceof HiveMqClientSide) {
			return "hivemq";
		}
		if (side instanceof SpringIntegrationSide) {
			return "integration";
		}
		return "starter";
	}

	private void printFirstMessage(List<FirstMessageBenchmark.Result> results) {
		System.out.println();
		System.out.println("Medians; first message = a QoS 1 message published by the side and received by its own "
				+ "subscriber (one attempt every 10 ms until one arrives).");
		System.out.println();
		System.out.println("| side | JVM start to first message, ms | JVM start to main(), ms | main() to connected "
				+ "and subscribed, ms | then to the first message, ms | process launch to first message, ms "
				+ "| classes loaded | jars |");
		System.out.println("|---|---|---|---|---|---|---|---|");
		for (FirstMessageBenchmark.Result result : results) {
			System.out.printf(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %d | %d |%n", result.kind(),
					result.median(FirstMessageBenchmark.Sample::jvmToFirstMs),
					result.median(FirstMessageBenchmark.Sample::jvmToMainMs),
					result.median(FirstMessageBenchmark.Sample::mainToConnectedMs),
					result.median(FirstMessageBenchmark.Sample::connectedToFirstMs),
					result.median(FirstMessageBenchmark.Sample::launchToFirstMs),
					result.median(FirstMessageBenchmark.Sample::classes), result.jars());
		}
	}

	private void printStartup(StartupBenchmark.Results results) {
		System.out.println();
		System.out.println("Medians; ready = SpringApplication.run returned and, with MQTT, the client connected.");
		System.out.println();
		System.out.println("| application | JVM start to ready, ms | main() to ready, ms "
				+ "| main() to SpringApplication.run returned, ms | process launch to ready, ms | jars "
				+ "| bean definitions |");
		System.out.println("|---|---|---|---|---|---|---|");
		printStartupRow("plain Spring Boot (no starter)", results.plain, results.plainJars);
		printStartupRow("plain Spring Boot + raw Paho v5 client, connected", results.rawPaho, results.rawPahoJars);
		printStartupRow("with the starter, connected", results.starter, results.starterJars);
		long plain = StartupBenchmark.Results.median(results.plain, StartupBenchmark.Sample::jvmToReadyMs);
		long rawPaho = StartupBenchmark.Results.median(results.rawPaho, StartupBenchmark.Sample::jvmToReadyMs);
		long starter = StartupBenchmark.Results.median(results.starter, StartupBenchmark.Sample::jvmToReadyMs);
		System.out.println();
		System.out.println("The starter adds " + (starter - plain) + " ms to the startup of a plain application (JVM "
				+ "start to ready); connecting a raw Paho client adds " + (rawPaho - plain) + " ms.");
	}

	private static void printStartupRow(String name, List<StartupBenchmark.Sample> samples, int jars) {
		System.out.printf(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %d |%n", name,
				StartupBenchmark.Results.median(samples, StartupBenchmark.Sample::jvmToReadyMs),
				StartupBenchmark.Results.median(samples, StartupBenchmark.Sample::mainToReadyMs),
				StartupBenchmark.Results.median(samples, StartupBenchmark.Sample::mainToRunReturnedMs),
				StartupBenchmark.Results.median(samples, StartupBenchmark.Sample::launchToReadyMs), jars,
				samples.get(0).beans());
	}

	private static double median(List<ThroughputSample> samples) {
		double[] values = samples.stream().mapToDouble(ThroughputSample::perSecond).sorted().toArray();
		int middle = values.length / 2;
		return (values.length % 2 == 1) ? values[middle] : (values[middle - 1] + values[middle]) / 2;
	}

	private static String range(List<ThroughputSample> samples) {
		double[] values = samples.stream().mapToDouble(ThroughputSample::perSecond).sorted().toArray();
		return String.format(Locale.ROOT, "%,.0f (%,.0f-%,.0f)", median(samples), values[0],
				values[values.length - 1]);
	}

	private static double lowestRate(List<LatencySample> samples) {
		return samples.stream().mapToDouble(LatencySample::achievedRate).min().orElse(0);
	}

	private static double medianCpu(List<ThroughputSample> samples) {
		double[] values = samples.stream().mapToDouble(ThroughputSample::cpuMicrosPerMessage).sorted().toArray();
		int middle = values.length / 2;
		return (values.length % 2 == 1) ? values[middle] : (values[middle - 1] + values[middle]) / 2;
	}

	private static String pairedRatios(List<ThroughputSample> raw, List<ThroughputSample> starter) {
		List<String> ratios = new ArrayList<>();
		for (int i = 0; i < Math.min(raw.size(), starter.size()); i++) {
			ratios.add(String.format(Locale.ROOT, "%.2f", starter.get(i).perSecond() / raw.get(i).perSecond()));
		}
		return String.join(" ", ratios);
	}

	private static String lostAndDuplicated(List<ThroughputSample> samples) {
		return samples.stream().mapToInt(ThroughputSample::lost).sum() + "/"
				+ samples.stream().mapToInt(ThroughputSample::duplicates).sum();
	}

	private static long[] pooled(List<LatencySample> samples) {
		long[] all = samples.stream().flatMapToLong((sample) -> Arrays.stream(sample.latencies())).toArray();
		Arrays.sort(all);
		return all;
	}

	private static long percentile(long[] sorted, int percentile) {
		if (sorted.length == 0) {
			return 0;
		}
		int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
	}

	private static double millis(long nanos) {
		return nanos / 1e6;
	}

	private static void startWatchdog(int minutes) {
		Thread watchdog = new Thread(() -> {
			try {
				Thread.sleep(TimeUnit.MINUTES.toMillis(minutes));
				System.err.println("The benchmark did not finish within " + minutes + " minutes: stopping it");
				Runtime.getRuntime().halt(2);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}, "benchmark-watchdog");
		watchdog.setDaemon(true);
		watchdog.start();
	}

	/**
	 * One throughput run.
	 */
	record ThroughputSample(String side, int qos, int sent, int failed, int received, int duplicates,
			double perSecond, double publishPerSecond, double cpuMicrosPerMessage, int deliveredQos,
			String firstFailure) {

		int lost() {
			return this.sent - this.received;
		}

		@Override
		public String toString() {
			return String.format(Locale.ROOT,
					"throughput %-8s QoS %d: %,8.0f msg/s end to end (publish %,8.0f msg/s), %5.1f us CPU/msg, "
							+ "received %d/%d, duplicates %d, failed sends %d%s",
					this.side, this.qos, this.perSecond, this.publishPerSecond, this.cpuMicrosPerMessage,
					this.received, this.sent,
					this.duplicates, this.failed, (this.failed > 0) ? " (" + this.firstFailure + ")" : "");
		}

	}

	/**
	 * One latency run.
	 */
	record LatencySample(String side, int qos, int sent, int failed, int received, int duplicates,
			double achievedRate, long[] latencies) {

		int lost() {
			return this.sent - this.received;
		}

		@Override
		public String toString() {
			long[] sorted = this.latencies.clone();
			Arrays.sort(sorted);
			return String.format(Locale.ROOT,
					"latency    %-8s QoS %d: p50 %.3f ms, p99 %.3f ms at %,.0f msg/s, received %d/%d, "
							+ "duplicates %d, failed sends %d",
					this.side, this.qos, millis(percentile(sorted, 50)), millis(percentile(sorted, 99)),
					this.achievedRate, this.received, this.sent, this.duplicates, this.failed);
		}

	}

}
