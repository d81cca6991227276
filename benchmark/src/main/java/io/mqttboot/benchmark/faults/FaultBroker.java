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
 * queued messages survive a restart. Its log (with the connections it accepted) is a file in the same directory.
 *
 * @author mqttboot
 */
final class FaultBroker {

	private static final String MOSQUITTO = "/usr/sbin/mosquitto";

	private final int port;

	private final Path config;

	private final Path logFile;

	private @Nullable Process process;

	FaultBroker(Path directory, int port, @Nullable Integer maxTopicAlias) throws IOException {
		this.port = port;
		Path data = Files.createDirectories(directory.resolve("mosquitto-data"));
		this.config = directory.resolve("mosquitto.conf");
		this.logFile = directory.resolve("mosquitto.log");
		Files.writeString(this.config, String.join("\n", "listener " + port + " 127.0.0.1", "allow_anonymous true",
				// started as root, Mosquitto would switch to the user mosquitto, which cannot write to the directory
				"user " + System.getProperty("user.name"),
				"persistence true", "persistence_location " + data + "/", "autosave_interval 1",
				"max_queued_messages 100000", "set_tcp_nodelay true", "log_dest file " + this.logFile,
				"log_type error", "log_type warning", "log_type notice", "log_type information",
				"log_type subscribe", "log_timestamp true", "connection_messages true",
				(maxTopicAlias != null) ? "max_topic_alias " + maxTopicAlias : "", ""));
	}

	int port() {
		return this.port;
	}

	void start() throws IOException {
		this.process = new ProcessBuilder(MOSQUITTO, "-c", this.config.toString()).redirectErrorStream(true)
			.redirectOutput(this.config.resolveSibling("mosquitto.out").toFile())
			.start();
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
	 * Count the connections the broker accepted from a client id between two wall-clock times
	 * (milliseconds; the broker's log has whole seconds).
	 */
	int connections(String clientId, long fromMillis, long toMillis) {
		return count(" as " + clientId + " (", fromMillis, toMillis);
	}

	/**
	 * Count the log lines with a fragment between two wall-clock times (milliseconds).
	 */
	int count(String fragment, long fromMillis, long toMillis) {
		return (int) lines().stream()
			.filter((line) -> line.millis >= fromMillis / 1000 * 1000 && line.millis < toMillis && line.text.contains(fragment))
			.count();
	}

	private List<LogLine> lines() {
		List<LogLine> lines = new ArrayList<>();
		try {
			for (String line : Files.readAllLines(this.logFile, StandardCharsets.UTF_8)) {
				int colon = line.indexOf(": ");
				if (colon > 0) {
					try {
						lines.add(new LogLine(Long.parseLong(line.substring(0, colon)) * 1000, line.substring(colon + 2)));
					}
					catch (NumberFormatException ex) {
						// not a log line
					}
				}
			}
		}
		catch (IOException ex) {
			// no log yet
		}
		return lines;
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

	private record LogLine(long millis, String text) {
	}

}
