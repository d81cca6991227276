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
package io.mqttboot.benchmark.faults;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import io.mqttboot.benchmark.faults.ArrivalRecorder.Arrivals;
import org.jspecify.annotations.Nullable;

/**
 * The fault-injection run: the starter, used as an application uses it (properties,
 * {@code MqttTemplate}, events, health) in child JVMs ({@link FaultApp}), against a Mosquitto of
 * its own on a free loopback port, while the broker is restarted, the network cut, the
 * application killed, and two applications share one client id. An independent Paho subscriber
 * with a persistent session counts what arrived. Prints one Markdown table.
 * <p>
 * Run with {@code ./mvnw -q -pl benchmark spring-boot:run
 * -Dspring-boot.run.main-class=io.mqttboot.benchmark.faults.FaultInjectionRun} (about 4 minutes);
 * the logs of the broker and of every application stay in the temporary directory it prints.
 *
 * @author mqttboot
 */
public final class FaultInjectionRun {

	private static final Duration STARTUP = Duration.ofSeconds(90);

	private static final int RATE = 200;

	private final Path directory;

	private final FaultBroker broker;

	private final List<AppProcess> apps = new ArrayList<>();

	private final List<String> rows = new ArrayList<>();

	private final List<String> notes = new ArrayList<>();

	private boolean allPassed = true;

	private ArrivalRecorder recorder;

	private final Set<String> scenarios;

	private FaultInjectionRun(Path directory, Set<String> scenarios, @Nullable Integer maxTopicAlias)
			throws IOException {
		this.directory = directory;
		this.scenarios = scenarios;
		this.broker = new FaultBroker(directory, freePort(), maxTopicAlias);
	}

	/**
	 * Run every scenario and print the results.
	 * @param args {@code --scenarios=1,5} runs only those (default: all six);
	 * {@code --broker-max-topic-alias=N} sets Mosquitto's {@code max_topic_alias} (default: Mosquitto's, 10)
	 * @throws Exception on a failure of the run itself
	 */
	public static void main(String[] args) throws Exception {
		Thread watchdog = new Thread(() -> {
			Waits.hold(Duration.ofMinutes(10));
			System.err.println("Fault-injection run stopped by its watchdog after 10 minutes");
			System.exit(2);
		}, "watchdog");
		watchdog.setDaemon(true);
		watchdog.start();
		Path directory = Files.createTempDirectory("mqtt-faults-");
		Set<String> scenarios = Set.of("1", "2", "3", "4", "5", "6");
		Integer maxTopicAlias = null;
		for (String arg : args) {
			if (arg.startsWith("--scenarios=")) {
				scenarios = Set.of(arg.substring(12).split(","));
			}
			else if (arg.startsWith("--broker-max-topic-alias=")) {
				maxTopicAlias = Integer.valueOf(arg.substring(25));
			}
		}
		FaultInjectionRun run = new FaultInjectionRun(directory, scenarios, maxTopicAlias);
		boolean passed;
		try {
			passed = run.run();
		}
		finally {
			run.cleanUp();
		}
		System.exit(passed ? 0 : 1);
	}

	private boolean run() throws Exception {
		long start = System.nanoTime();
		log("Logs in " + this.directory + "; Mosquitto on 127.0.0.1:" + this.broker.port() + ", JVM "
				+ System.getProperty("java.version"));
		this.broker.start();
		this.recorder = new ArrivalRecorder(this.broker.port());
		if (this.scenarios.contains("1")) {
			brokerRestart();
		}
		if (this.scenarios.contains("2")) {
			networkCut();
		}
		if (this.scenarios.contains("3")) {
			applicationKilled();
		}
		if (this.scenarios.contains("4")) {
			duplicateClientId();
		}
		if (this.scenarios.contains("5")) {
			outageLongerThanSendTimeout();
		}
		if (this.scenarios.contains("6")) {
			brokerRestartPersistentSession();
		}
		System.out.println();
		System.out.println("| scenario | sent | completed | failed | arrived | duplicates | out of order "
				+ "| acknowledged, not arrived | connections (broker log) | result |");
		System.out.println("|---|---|---|---|---|---|---|---|---|---|");
		this.rows.forEach(System.out::println);
		System.out.println();
		this.notes.forEach((note) -> System.out.println("* " + note));
		System.out.printf("%nWhole run: %.0f s%n", (System.nanoTime() - start) / 1e9);
		return this.allPassed;
	}

	/**
	 * 1. Mosquitto stopped (SIGTERM, it saves its persistence) for 3 s during a steady stream.
	 */
	private void brokerRestart() throws Exception {
		String topic = "faults/restart";
		long from = System.currentTimeMillis();
		AppProcess app = app("1-broker-restart", "faults-restart", topic, this.broker.port(), 0, 12 * RATE);
		app.awaitFirstAck(STARTUP);
		Waits.hold(Duration.ofSeconds(3));
		log("stopping the broker for 3 s");
		this.broker.stop();
		Waits.hold(Duration.ofSeconds(3));
		this.broker.start();
		awaitRecorder();
		finish(app);
		row("1. broker restarted, down 3 s", app, topic, from, "faults-restart", true,
				(a) -> a.failed().isEmpty());
	}

	/**
	 * 6. As 1, with a persistent session ({@code mqtt.clean-start=false}, one hour of session
	 * expiry, memory persistence), so that Paho resends what was in flight.
	 */
	private void brokerRestartPersistentSession() throws Exception {
		String topic = "faults/restart-session";
		long from = System.currentTimeMillis();
		AppProcess app = app("6-broker-restart-session", "faults-session", topic, this.broker.port(), 0, 12 * RATE,
				List.of("--mqtt.clean-start=false", "--mqtt.session-expiry=1h"));
		app.awaitFirstAck(STARTUP);
		Waits.hold(Duration.ofSeconds(3));
		log("stopping the broker for 3 s");
		this.broker.stop();
		Waits.hold(Duration.ofSeconds(3));
		this.broker.start();
		awaitRecorder();
		finish(app);
		row("6. broker restarted, down 3 s, persistent session", app, topic, from, "faults-session", true,
				(a) -> a.failed().isEmpty());
	}

	/**
	 * 2. The proxy resets the connection and black-holes new ones for 5 s.
	 */
	private void networkCut() throws Exception {
		String topic = "faults/cut";
		long from = System.currentTimeMillis();
		try (FaultProxy proxy = new FaultProxy(this.broker.port())) {
			AppProcess app = app("2-network-cut", "faults-cut", topic, proxy.port(), 0, 12 * RATE);
			app.awaitFirstAck(STARTUP);
			Waits.hold(Duration.ofSeconds(3));
			log("cutting the network for 5 s");
			proxy.cut();
			Waits.hold(Duration.ofSeconds(5));
			proxy.heal();
			finish(app);
			row("2. network cut 5 s (reset, then black hole)", app, topic, from, "faults-cut", true,
					(a) -> a.failed().isEmpty());
		}
	}

	/**
	 * 3. The application killed with SIGKILL and started again with file persistence and a
	 * persistent session.
	 */
	private void applicationKilled() throws Exception {
		String topic = "faults/kill";
		long from = System.currentTimeMillis();
		Path persistence = Files.createDirectories(this.directory.resolve("app-persistence"));
		List<String> durable = List.of("--mqtt.persistence=file", "--mqtt.persistence-directory=" + persistence,
				"--mqtt.clean-start=false", "--mqtt.session-expiry=1h");
		AppProcess first = app("3-killed", "faults-kill", topic, this.broker.port(), 0, 12 * RATE, durable);
		first.awaitFirstAck(STARTUP);
		Waits.hold(Duration.ofSeconds(4));
		log("killing the application (SIGKILL)");
		first.kill();
		Set<Long> ackedBeforeKill = first.acked();
		long sentBeforeKill = first.sent();
		AppProcess second = app("3-restarted", "faults-kill", topic + "/after", this.broker.port(), 0, 2 * RATE,
				durable);
		finish(second);
		Waits.within(Duration.ofSeconds(15),
				() -> this.recorder.arrivals(topic).distinct.containsAll(ackedBeforeKill));
		Arrivals arrivals = this.recorder.arrivals(topic);
		Set<Long> lost = new HashSet<>(ackedBeforeKill);
		lost.removeAll(arrivals.distinct);
		long unackedArrived = arrivals.distinct.stream().filter((seq) -> !ackedBeforeKill.contains(seq)).count();
		boolean passed = lost.isEmpty();
		Arrivals after = this.recorder.arrivals(topic + "/after");
		passed &= second.failed().isEmpty() && after.distinct.size() == second.ackedCount();
		int connections = this.broker.connections("faults-kill", from, System.currentTimeMillis());
		this.rows.add(String.format("| 3. application killed (SIGKILL) after ~4 s, restarted | %d before the kill + %d "
				+ "after | %d + %d | 0 + %d | %d + %d | %d | %d | **%d** | %d | %s |", sentBeforeKill, second.sent(),
				ackedBeforeKill.size(), second.ackedCount(), second.failed().size(), arrivals.distinct.size(),
				after.distinct.size(), arrivals.duplicates() + after.duplicates(),
				arrivals.outOfOrder + after.outOfOrder, lost.size(), connections, verdict(passed)));
		this.notes.add(String.format("3: of the sends not acknowledged when the JVM died (%d: in flight or in "
				+ "the memory buffer), %d arrived anyway (published before the kill, or resent from the file "
				+ "persistence after the restart); the restarted instance reported %s.", sentBeforeKill
				- ackedBeforeKill.size(), unackedArrived, second.doneLine()));
	}

	/**
	 * 4. Two applications with one client id for 35 s.
	 */
	private void duplicateClientId() throws Exception {
		String id = "faults-twin";
		long from = System.currentTimeMillis();
		int rate = 20;
		// 30 s of sends, which end before the applications are stopped after 35 s
		AppProcess a = app("4-twin-a", id, "faults/twin/a", this.broker.port(), 0, 30 * rate, rate, List.of());
		AppProcess b = app("4-twin-b", id, "faults/twin/b", this.broker.port(), 0, 30 * rate, rate, List.of());
		a.awaitReady(STARTUP);
		b.awaitReady(STARTUP);
		long bothUp = System.currentTimeMillis();
		log("two applications with client id '" + id + "' for 35 s");
		Waits.hold(Duration.ofSeconds(35));
		long end = System.currentTimeMillis();
		int firstTen = this.broker.connections(id, from, bothUp + 10_000);
		int after = this.broker.connections(id, bothUp + 10_000, end);
		int takeovers = this.broker.count("already connected, closing old connection", from, end);
		a.stop();
		b.stop();
		List<String> warns = new ArrayList<>();
		warns.addAll(a.warnings());
		warns.addAll(b.warnings());
		List<String> takeoverWarns = warns.stream().filter((line) -> line.contains("taken over")).toList();
		Set<String> downReasons = new HashSet<>(a.healthDownReasons());
		downReasons.addAll(b.healthDownReasons());
		List<String> takeoverDown = downReasons.stream().filter((reason) -> reason.contains("taken over")).toList();
		double perMinute = after * 60.0 / 25.0;
		boolean passed = perMinute <= 12 && takeoverWarns.size() >= 1 && !takeoverDown.isEmpty();
		Arrivals arrivalsA = this.recorder.arrivals("faults/twin/a");
		Arrivals arrivalsB = this.recorder.arrivals("faults/twin/b");
		long ackedNotArrived = a.acked().stream().filter((seq) -> !arrivalsA.distinct.contains(seq)).count()
				+ b.acked().stream().filter((seq) -> !arrivalsB.distinct.contains(seq)).count();
		this.rows.add(String.format("| 4. two applications with one client id, 35 s (%d msg/s each) | %d + %d | %d + %d "
				+ "| %d + %d | %d + %d | %d | %d | %d | %d in the first 10 s, then %d in 25 s (%.1f/min for both) | %s |",
				rate, a.sent(), b.sent(), a.ackedCount(), b.ackedCount(), a.failed().size(), b.failed().size(),
				arrivalsA.distinct.size(), arrivalsB.distinct.size(), arrivalsA.duplicates() + arrivalsB.duplicates(),
				arrivalsA.outOfOrder + arrivalsB.outOfOrder, ackedNotArrived, firstTen, after, perMinute,
				verdict(passed)));
		this.notes.add("4: broker log lines 'already connected, closing old connection': " + takeovers
				+ "; takeover WARN lines in the applications' logs: " + takeoverWarns.size() + (takeoverWarns.isEmpty()
						? "" : " (first: `" + takeoverWarns.get(0).replaceAll("^\\S+ ", "") + "`)")
				+ "; health DOWN with a takeover reason: " + (takeoverDown.isEmpty() ? "never"
						: "yes (`" + takeoverDown.get(0) + "`)")
				+ "; lost/connected events a: " + a.lostEvents() + "/" + a.connectedEvents() + ", b: " + b.lostEvents()
				+ "/" + b.connectedEvents() + "; WARN/ERROR lines a + b: " + warns.size()
				+ "; sends not done at the stop, a/b: " + (a.sent() - a.ackedCount() - a.failed().size()) + "/"
				+ (b.sent() - b.ackedCount() - b.failed().size())
				+ "; failures: " + summary(a.failed()) + " / " + summary(b.failed()) + ".");
	}

	/**
	 * 5. A 5 s outage with {@code mqtt.template.send-timeout=2s}.
	 */
	private void outageLongerThanSendTimeout() throws Exception {
		String topic = "faults/timeout";
		long from = System.currentTimeMillis();
		AppProcess app = app("5-send-timeout", "faults-timeout", topic, this.broker.port(), 0, 12 * RATE, RATE,
				List.of("--mqtt.template.send-timeout=2s"));
		app.awaitFirstAck(STARTUP);
		Waits.hold(Duration.ofSeconds(3));
		log("stopping the broker for 5 s, send timeout 2 s");
		long stopped = System.currentTimeMillis();
		this.broker.stop();
		Waits.hold(Duration.ofSeconds(5));
		this.broker.start();
		long restarted = System.currentTimeMillis();
		awaitRecorder();
		finish(app);
		Waits.hold(Duration.ofSeconds(5));
		Map<Long, String> failed = app.failed();
		Arrivals arrivals = this.recorder.arrivals(topic);
		long failedArrived = failed.keySet().stream().filter(arrivals.distinct::contains).count();
		long timeouts = failed.values().stream().filter((f) -> f.startsWith(TimeoutException.class.getName())).count();
		// a send in flight when the broker stopped may have reached it: at least once, not "sent after its timeout"
		long bufferedArrived = failed.entrySet()
			.stream()
			.filter((entry) -> arrivals.distinct.contains(entry.getKey()) && entry.getValue().contains("buffered send"))
			.count();
		boolean passed = bufferedArrived == 0 && timeouts == failed.size() && !failed.isEmpty();
		row("5. broker down 5 s, `send-timeout=2s`", app, topic, from, "faults-timeout", passed, (a) -> true);
		String whenArrived = failed.keySet()
			.stream()
			.filter(arrivals.distinct::contains)
			.map((seq) -> seq + " (" + failed.get(seq) + ") arrived " + (arrivals.firstArrival.get(seq) - stopped)
					+ " ms after the broker was told to stop, which was back " + (restarted - stopped) + " ms after that")
			.collect(Collectors.joining("; "));
		this.notes.add(String.format("5: %d sends failed, %d of them with `TimeoutException` (%s); failed sends that "
				+ "arrived anyway: %d%s; the failed sequence numbers run %s.", failed.size(), timeouts,
				summary(failed), failedArrived, whenArrived.isEmpty() ? "" : " (" + whenArrived + ")",
				ranges(failed.keySet())));
	}

	private void row(String scenario, AppProcess app, String topic, long from, String clientId, boolean extra,
			java.util.function.Predicate<AppProcess> ok) {
		Waits.within(Duration.ofSeconds(15),
				() -> this.recorder.arrivals(topic).distinct.containsAll(app.acked()));
		Arrivals arrivals = this.recorder.arrivals(topic);
		Set<Long> acked = app.acked();
		long ackedNotArrived = acked.stream().filter((seq) -> !arrivals.distinct.contains(seq)).count();
		int connections = this.broker.connections(clientId, from, System.currentTimeMillis());
		boolean passed = extra && ok.test(app) && ackedNotArrived == 0 && app.doneLine() != null
				&& acked.size() + app.failed().size() == app.sent() && arrivals.outOfOrder == 0;
		this.rows.add(String.format("| %s | %d | %d | %d | %d | %d | %d | **%d** | %d | %s |", scenario, app.sent(),
				acked.size(), app.failed().size(), arrivals.distinct.size(), arrivals.duplicates(),
				arrivals.outOfOrder, ackedNotArrived, connections, verdict(passed)));
		if (arrivals.outOfOrder > 0) {
			this.notes.add(scenario + ": out of order: " + String.join(", ", arrivals.outOfOrderSamples));
		}
		if (ackedNotArrived > 0) {
			this.notes.add(scenario + ": acknowledged but not arrived: sequence numbers " + ranges(acked.stream()
				.filter((seq) -> !arrivals.distinct.contains(seq))
				.collect(Collectors.toSet())));
		}
		if (!app.failed().isEmpty() && !scenario.startsWith("5.")) {
			this.notes.add(scenario + ": failures " + summary(app.failed()) + ", sequence numbers " + ranges(app.failed().keySet()));
		}
	}

	private void finish(AppProcess app) throws Exception {
		if (!app.awaitDone(Duration.ofSeconds(90))) {
			log(app.name() + " did not finish its sends within 90 s");
		}
		app.stop();
	}

	private void awaitRecorder() {
		Waits.until("the subscriber reconnected", Duration.ofSeconds(30), this.recorder::isConnected);
	}

	private AppProcess app(String name, String clientId, String topic, int port, long firstSeq, int count)
			throws IOException {
		return app(name, clientId, topic, port, firstSeq, count, RATE, List.of());
	}

	private AppProcess app(String name, String clientId, String topic, int port, long firstSeq, int count,
			List<String> extra) throws IOException {
		return app(name, clientId, topic, port, firstSeq, count, RATE, extra);
	}

	private AppProcess app(String name, String clientId, String topic, int port, long firstSeq, int count, int rate,
			List<String> extra) throws IOException {
		List<String> arguments = new ArrayList<>(List.of("--mqtt.url=tcp://127.0.0.1:" + port,
				"--mqtt.client-id=" + clientId, "--faults.topic=" + topic, "--faults.first-seq=" + firstSeq,
				"--faults.count=" + count, "--faults.rate=" + rate));
		arguments.addAll(extra);
		log("starting " + name + " " + String.join(" ", arguments));
		AppProcess app = new AppProcess(name, this.directory, firstSeq, arguments);
		this.apps.add(app);
		return app;
	}

	private String verdict(boolean passed) {
		this.allPassed &= passed;
		return passed ? "pass" : "**FAIL**";
	}

	private static String summary(Map<Long, String> failed) {
		if (failed.isEmpty()) {
			return "none";
		}
		return failed.values()
			.stream()
			.collect(Collectors.groupingBy((text) -> text, Collectors.counting()))
			.entrySet()
			.stream()
			.map((entry) -> entry.getValue() + " × `" + entry.getKey() + "`")
			.collect(Collectors.joining(", "));
	}

	private static String ranges(Set<Long> seqs) {
		List<Long> sorted = seqs.stream().sorted().toList();
		List<String> ranges = new ArrayList<>();
		for (int i = 0; i < sorted.size(); i++) {
			int j = i;
			while (j + 1 < sorted.size() && sorted.get(j + 1) == sorted.get(j) + 1) {
				j++;
			}
			ranges.add((i == j) ? "" + sorted.get(i) : sorted.get(i) + "–" + sorted.get(j));
			i = j;
		}
		return String.join(", ", ranges);
	}

	private void cleanUp() {
		for (AppProcess app : this.apps) {
			try {
				app.kill();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		try {
			if (this.recorder != null) {
				this.recorder.close();
			}
		}
		catch (Exception ex) {
			// the broker goes anyway
		}
		try {
			this.broker.stop();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	static void log(String message) {
		System.out.printf("%tT %s%n", System.currentTimeMillis(), message);
	}

}
