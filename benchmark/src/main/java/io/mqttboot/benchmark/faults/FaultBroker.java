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
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A Mosquitto of the run's own: {@code /usr/sbin/mosquitto} with a generated configuration, on
 * a free loopback port, with its persistence in a temporary directory, so that sessions and
 * queued messages survive a restart. Its log lines are kept with the time they arrived.
 *
 * @author mqttboot
 */
final class FaultBroker {

	private static final String MOSQUITTO = "/usr/sbin/mosquitto";

	private final int port;

	private final Path config;

	private final List<LogLine> log = new ArrayList<>();

	private @Nullable Process process;

	FaultBroker(Path directory, int port) throws IOException {
		this.port = port;
		Path data = Files.createDirectories(directory.resolve("mosquitto-data"));
		this.config = directory.resolve("mosquitto.conf");
		Files.writeString(this.config, String.join("\n", "listener " + port + " 127.0.0.1", "allow_anonymous true",
				"persistence true", "persistence_location " + data + "/", "autosave_interval 1",
				"max_queued_messages 100000", "set_tcp_nodelay true", "log_dest stdout",
				"log_type error", "log_type warning", "log_type notice", "log_type information",
				"connection_messages true", ""));
	}

	int port() {
		return this.port;
	}

	void start() throws IOException {
		Process started = new ProcessBuilder(MOSQUITTO, "-c", this.config.toString()).redirectErrorStream(true)
			.start();
		this.process = started;
		Thread reader = new Thread(() -> read(started), "mosquitto-log");
		reader.setDaemon(true);
		reader.start();
		Waits.until("Mosquitto listening on port " + this.port, Duration.ofSeconds(10), this::accepting);
	}

	/**
	 * Stop the broker with SIGTERM (it saves its persistence file), as a restart does.
	 */
	void stop() throws InterruptedException {
		Process running = this.process;
		if (running != null) {
			running.destroy();
			running.waitFor();
			this.process = null;
		}
	}

	/**
	 * Count the connections the broker accepted from a client id between two {@code System.nanoTime()}
	 * values.
	 */
	int connections(String clientId, long from, long to) {
		return count(" as " + clientId + " (", from, to);
	}

	/**
	 * Count the lines with a fragment between two {@code System.nanoTime()} values.
	 */
	int count(String fragment, long from, long to) {
		synchronized (this.log) {
			return (int) this.log.stream()
				.filter((line) -> line.nanos >= from && line.nanos < to && line.text.contains(fragment))
				.count();
		}
	}

	/**
	 * Return the times ({@code System.nanoTime()}) of the connections of a client id.
	 */
	List<Long> connectionTimes(String clientId) {
		synchronized (this.log) {
			return this.log.stream()
				.filter((line) -> line.text.contains("New client connected") && line.text.contains(" as " + clientId + " ("))
				.map((line) -> line.nanos)
				.toList();
		}
	}

	private boolean accepting() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 200);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private void read(Process started) {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				synchronized (this.log) {
					this.log.add(new LogLine(System.nanoTime(), line));
				}
			}
		}
		catch (IOException ex) {
			// the broker stopped
		}
	}

	private record LogLine(long nanos, String text) {
	}

}
