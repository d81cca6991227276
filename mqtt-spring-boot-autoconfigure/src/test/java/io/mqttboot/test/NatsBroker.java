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
package io.mqttboot.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real NATS server with its MQTT listener (MQTT 3.1.1, QoS 0 and 1) run as a child process on free loopback
 * ports with a generated configuration. MQTT needs JetStream and a {@code server_name}: JetStream stores in the
 * broker's temporary directory, which survives {@link #restart()} (persistent sessions survive it too).
 * <p>
 * NATS 2.9 refuses MQTT topics with {@code '.'} or {@code ' '}, closes the connection on a QoS 2 PUBLISH, grants
 * QoS 2 subscriptions as QoS 1, and has no shared subscriptions. It never uses a NATS server already running on
 * the machine.
 *
 * @author mqttboot
 */
public final class NatsBroker implements TestBroker {

	/** System property pointing at a specific {@code nats-server} executable. */
	public static final String EXECUTABLE_PROPERTY = "mqttboot.nats.executable";

	private static final Log logger = LogFactory.getLog(NatsBroker.class);

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(15);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

	private static final int MAX_START_ATTEMPTS = 3;

	private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

	private static NatsBroker shared;

	static {
		Runtime.getRuntime()
			.addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly), "nats-broker-reaper"));
	}

	private final Builder settings;

	private final Path directory;

	private final Path configFile;

	private final Path logFile;

	private int port;

	private int natsPort;

	private Process process;

	private NatsBroker(Builder settings) throws IOException {
		this.settings = settings;
		this.directory = Files.createTempDirectory("mqttboot-nats-");
		this.configFile = this.directory.resolve("nats.conf");
		this.logFile = this.directory.resolve("nats.log");
	}

	/**
	 * Whether a {@code nats-server} executable can be found.
	 * @return {@code true} if NATS can be started
	 */
	public static boolean isAvailable() {
		return executable().isPresent();
	}

	/**
	 * Locate the {@code nats-server} executable: the system property {@value #EXECUTABLE_PROPERTY} if set, else
	 * {@code /usr/sbin}, {@code /usr/bin}, {@code /usr/local/bin}, Homebrew or {@code PATH}.
	 * @return the executable, if any
	 */
	public static Optional<Path> executable() {
		String configured = System.getProperty(EXECUTABLE_PROPERTY);
		if (configured != null && !configured.isBlank()) {
			Path path = Paths.get(configured.trim());
			return (Files.isRegularFile(path) && Files.isExecutable(path)) ? Optional.of(path) : Optional.empty();
		}
		List<Path> candidates = new ArrayList<>();
		for (String dir : List.of("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin", "/opt/homebrew/bin")) {
			candidates.add(Paths.get(dir, "nats-server"));
		}
		String path = System.getenv("PATH");
		if (path != null) {
			for (String dir : path.split(java.io.File.pathSeparator)) {
				if (!dir.isEmpty()) {
					candidates.add(Paths.get(dir, "nats-server"));
				}
			}
		}
		return candidates.stream().filter((candidate) -> Files.isRegularFile(candidate) && Files.isExecutable(candidate))
			.findFirst();
	}

	/**
	 * The JVM-wide broker with the default configuration, started on first use and stopped when the JVM exits.
	 * @return the running shared broker; {@link #close()} on it is a no-op
	 */
	public static synchronized NatsBroker shared() {
		if (shared == null || !shared.isRunning()) {
			shared = builder().start();
			shared.isShared = true;
		}
		return shared;
	}

	private boolean isShared;

	/**
	 * Start a configuration builder.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	private void startFresh() {
		IllegalStateException last = null;
		for (int attempt = 1; attempt <= MAX_START_ATTEMPTS; attempt++) {
			allocatePorts();
			MqttTestClient.useMqtt311For(this.port);
			writeConfig();
			try {
				Files.deleteIfExists(this.logFile);
				launch();
				return;
			}
			catch (IllegalStateException ex) {
				// Another process may have taken a port between allocation and start: retry with new ports
				if (!readLog().contains("address already in use")) {
					throw ex;
				}
				last = ex;
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		throw last;
	}

	private void allocatePorts() {
		try (ServerSocket mqtt = loopbackSocket(); ServerSocket nats = loopbackSocket()) {
			this.port = mqtt.getLocalPort();
			this.natsPort = nats.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static ServerSocket loopbackSocket() throws IOException {
		ServerSocket socket = new ServerSocket();
		socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
		return socket;
	}

	private void writeConfig() {
		List<String> lines = new ArrayList<>();
		lines.add("# generated by " + NatsBroker.class.getName());
		lines.add("server_name: mqttboot_test_" + this.port);
		lines.add("listen: \"127.0.0.1:" + this.natsPort + "\"");
		lines.add("jetstream {");
		lines.add("  store_dir: \"" + this.directory.resolve("jetstream") + "\"");
		lines.add("  max_memory_store: 64MB");
		lines.add("  max_file_store: 256MB");
		lines.add("}");
		if (this.settings.debug) {
			lines.add("debug: true");
		}
		lines.addAll(this.settings.rawLines);
		lines.add("mqtt {");
		lines.add("  listen: \"127.0.0.1:" + this.port + "\"");
		this.settings.mqttLines.forEach((line) -> lines.add("  " + line));
		lines.add("}");
		try {
			Files.write(this.configFile, lines, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void launch() {
		Path nats = executable().orElseThrow(() -> new IllegalStateException(NatsCondition.notFoundMessage()));
		try {
			this.process = new ProcessBuilder(nats.toString(), "-c", this.configFile.toString())
				.directory(this.directory.toFile())
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(this.logFile.toFile()))
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		RUNNING.add(this.process);
		Process started = this.process;
		try {
			Awaitility.await("nats-server MQTT listening on " + this.port)
				.atMost(STARTUP_TIMEOUT)
				.pollDelay(Duration.ZERO)
				.pollInterval(Duration.ofMillis(25))
				.until(() -> {
					if (!started.isAlive()) {
						throw new IllegalStateException("exited with code " + started.exitValue());
					}
					return readLog().contains("Server is ready") && accepts(this.port);
				});
			logger.debug("NATS started: " + this);
		}
		catch (RuntimeException ex) {
			stop();
			String reason = (ex instanceof ConditionTimeoutException) ? "did not listen within " + STARTUP_TIMEOUT
					: ex.getMessage();
			throw new IllegalStateException("nats-server failed to start (" + reason + "), config " + this.configFile
					+ ":\n" + read(this.configFile) + "\nlog " + this.logFile + ":\n" + readLog(), ex);
		}
	}

	private static boolean accepts(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 200);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static boolean bindable(int port) {
		try (ServerSocket socket = new ServerSocket()) {
			socket.setReuseAddress(true);
			socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Stop the server process (SIGTERM, then SIGKILL after a bounded wait). Idempotent.
	 */
	@Override
	public synchronized void stop() {
		Process current = this.process;
		if (current == null) {
			return;
		}
		this.process = null;
		current.destroy();
		try {
			if (!current.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				current.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			}
		}
		catch (InterruptedException ex) {
			current.destroyForcibly();
			Thread.currentThread().interrupt();
		}
		finally {
			RUNNING.remove(current);
		}
	}

	/**
	 * Start the server again on the same ports with the same configuration and JetStream store.
	 */
	@Override
	public synchronized void start() {
		if (this.process != null) {
			return;
		}
		Awaitility.await("ports " + this.port + ", " + this.natsPort + " free for restart")
			.atMost(STARTUP_TIMEOUT)
			.pollDelay(Duration.ZERO)
			.pollInterval(Duration.ofMillis(50))
			.until(() -> bindable(this.port) && bindable(this.natsPort));
		launch();
	}

	/**
	 * Stop and start again on the same ports.
	 */
	@Override
	public synchronized void restart() {
		stop();
		start();
	}

	/**
	 * Whether the server process is alive.
	 * @return {@code true} if running
	 */
	public synchronized boolean isRunning() {
		return this.process != null && this.process.isAlive();
	}

	@Override
	public void close() {
		if (!this.isShared) {
			stop();
		}
	}

	/**
	 * The server output so far (useful in assertion messages).
	 * @return the log content
	 */
	public String readLog() {
		return read(this.logFile);
	}

	private static String read(Path file) {
		try {
			return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
		}
		catch (IOException ex) {
			return "<" + ex + ">";
		}
	}

	/** Port of the MQTT listener on 127.0.0.1. */
	@Override
	public int port() {
		return this.port;
	}

	/** Paho style URL of the MQTT listener: {@code tcp://127.0.0.1:port}. */
	@Override
	public String tcpUrl() {
		return "tcp://127.0.0.1:" + this.port;
	}

	/** {@code mqtt://127.0.0.1:port}. */
	@Override
	public String mqttUrl() {
		return "mqtt://127.0.0.1:" + this.port;
	}

	/** Temporary directory holding the config, the JetStream store and the log. */
	public Path directory() {
		return this.directory;
	}

	@Override
	public String toString() {
		return "NatsBroker[mqtt=" + this.port + ", nats=" + this.natsPort + "] in " + this.directory;
	}

	/**
	 * Builder of a {@link NatsBroker}.
	 */
	public static final class Builder {

		private boolean debug;

		private final List<String> rawLines = new ArrayList<>();

		private final List<String> mqttLines = new ArrayList<>();

		private Builder() {
		}

		/** Log at debug level (client connections and protocol errors with their details). */
		public Builder debug() {
			this.debug = true;
			return this;
		}

		/** Add raw top-level configuration lines, e.g. {@code "max_payload: 4096"}. */
		public Builder config(String... lines) {
			this.rawLines.addAll(List.of(lines));
			return this;
		}

		/** Add lines to the {@code mqtt { }} block, e.g. {@code "ack_wait: \"2s\""}. */
		public Builder mqtt(String... lines) {
			this.mqttLines.addAll(List.of(lines));
			return this;
		}

		/**
		 * Write the configuration and start the server, waiting until the MQTT listener accepts connections.
		 * @return the running broker
		 */
		public NatsBroker start() {
			try {
				NatsBroker broker = new NatsBroker(this);
				broker.startFresh();
				return broker;
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

}
