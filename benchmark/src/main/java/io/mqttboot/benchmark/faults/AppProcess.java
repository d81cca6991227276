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

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * One {@link FaultApp} in a child JVM with the class path of this JVM: its output goes to a log
 * file and its {@code FAULTS} lines are counted.
 *
 * @author mqttboot
 */
final class AppProcess {

	private final String name;

	private final Path logFile;

	private final Process process;

	private final CountDownLatch done = new CountDownLatch(1);

	private final CountDownLatch exited = new CountDownLatch(1);

	private final Set<Long> acked = new HashSet<>();

	private final Map<Long, String> failed = new LinkedHashMap<>();

	private final List<String> warnings = new ArrayList<>();

	private final Set<String> healthDownReasons = new HashSet<>();

	private volatile long sent;

	private volatile int lostEvents;

	private volatile int connectedEvents;

	private volatile boolean ready;

	private volatile @Nullable String doneLine;

	private final long firstSeq;

	AppProcess(String name, Path directory, long firstSeq, List<String> arguments) throws IOException {
		this.name = name;
		this.firstSeq = firstSeq;
		this.logFile = directory.resolve(name + ".log");
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx160m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
				FaultApp.class.getName(), "--logging.config=classpath:faults-app-logback.xml",
				"--spring.main.banner-mode=off"));
		command.addAll(arguments);
		this.process = new ProcessBuilder(command).redirectErrorStream(true).start();
		Thread reader = new Thread(this::read, "app-" + name);
		reader.setDaemon(true);
		reader.start();
	}

	String name() {
		return this.name;
	}

	Path logFile() {
		return this.logFile;
	}

	void awaitReady(Duration timeout) {
		Waits.until(this.name + " started", timeout, () -> this.ready);
	}

	void awaitFirstAck(Duration timeout) {
		Waits.until(this.name + " has its first send acknowledged", timeout, () -> ackedCount() > 0);
	}

	boolean awaitDone(Duration timeout) throws InterruptedException {
		return this.done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * Kill the JVM with SIGKILL: no shutdown hook, nothing flushed.
	 */
	void kill() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor();
		this.exited.await(5, TimeUnit.SECONDS);
	}

	/**
	 * Stop the application cleanly: it closes its context when its stdin ends.
	 */
	void stop() throws InterruptedException {
		try {
			this.process.getOutputStream().close();
		}
		catch (IOException ex) {
			// already gone
		}
		if (!this.process.waitFor(20, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
			this.process.waitFor();
		}
		this.exited.await(5, TimeUnit.SECONDS);
	}

	long sent() {
		return this.sent;
	}

	synchronized int ackedCount() {
		return this.acked.size();
	}

	synchronized Set<Long> acked() {
		return new HashSet<>(this.acked);
	}

	synchronized Map<Long, String> failed() {
		return new LinkedHashMap<>(this.failed);
	}

	synchronized List<String> warnings() {
		return new ArrayList<>(this.warnings);
	}

	synchronized Set<String> healthDownReasons() {
		return new HashSet<>(this.healthDownReasons);
	}

	int lostEvents() {
		return this.lostEvents;
	}

	int connectedEvents() {
		return this.connectedEvents;
	}

	@Nullable String doneLine() {
		return this.doneLine;
	}

	private void read() {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8));
				PrintWriter log = new PrintWriter(Files.newBufferedWriter(this.logFile, StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				if (!line.startsWith("FAULTS ACK ") && !line.startsWith("FAULTS SENT ")
						&& !line.startsWith("FAULTS STATUS ")) {
					log.println(line);
				}
				parse(line);
			}
		}
		catch (IOException ex) {
			// the JVM ended
		}
		finally {
			this.exited.countDown();
		}
	}

	private synchronized void parse(String line) {
		if (line.startsWith("FAULTS SENT ")) {
			this.sent = Math.max(this.sent, Long.parseLong(line.substring(12).trim()) - this.firstSeq + 1);
		}
		else if (line.startsWith("FAULTS ACK ")) {
			this.acked.add(Long.parseLong(line.substring(11).trim()));
		}
		else if (line.startsWith("FAULTS FAIL ")) {
			String rest = line.substring(12);
			int space = rest.indexOf(' ');
			this.failed.put(Long.parseLong(rest.substring(0, space)), rest.substring(space + 1));
		}
		else if (line.startsWith("FAULTS STATUS ")) {
			this.sent = Math.max(this.sent, Long.parseLong(field(line, "sent=")));
			if (line.contains(" health=DOWN")) {
				this.healthDownReasons.add(line.substring(line.indexOf(" reason=") + 8));
			}
		}
		else if (line.startsWith("FAULTS EVENT connected")) {
			this.connectedEvents++;
		}
		else if (line.startsWith("FAULTS EVENT lost")) {
			this.lostEvents++;
		}
		else if (line.startsWith("FAULTS READY")) {
			this.ready = true;
		}
		else if (line.startsWith("FAULTS DONE")) {
			this.doneLine = line;
			this.done.countDown();
		}
		else if (line.contains(" WARN ") || line.contains(" ERROR ")) {
			this.warnings.add(line);
		}
	}

	private static String field(String line, String key) {
		int start = line.indexOf(key) + key.length();
		int end = line.indexOf(' ', start);
		return line.substring(start, (end < 0) ? line.length() : end);
	}

}
