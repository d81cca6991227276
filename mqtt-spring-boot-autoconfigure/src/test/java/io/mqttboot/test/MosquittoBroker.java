package io.mqttboot.test;

import java.io.File;
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
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real Mosquitto broker run as a child process on free loopback ports with a generated configuration.
 * <p>
 * A plain MQTT listener ({@code listener <port> 127.0.0.1}) is always present: Mosquitto 2.0.11 refuses to start
 * with WebSocket listeners only. WebSocket listeners are bound without an address (libwebsockets ignores the bind
 * address, so they listen on all interfaces, dual stack); use {@link #wsUrl()} / {@link #wssUrl()}.
 */
public final class MosquittoBroker implements TestBroker {

	/** System property pointing at a specific {@code mosquitto} executable. */
	public static final String EXECUTABLE_PROPERTY = "mqttboot.mosquitto.executable";

	private static final Log logger = LogFactory.getLog(MosquittoBroker.class);

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

	private static final int MAX_START_ATTEMPTS = 3;

	/** {@code max_packet_size} of {@link Builder#strict()}. */
	public static final int STRICT_MAX_PACKET_SIZE = 4096;

	/** {@code max_keepalive} of {@link Builder#strict()}. */
	public static final int STRICT_MAX_KEEP_ALIVE = 30;

	private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

	static {
		Runtime.getRuntime()
			.addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly), "mosquitto-broker-reaper"));
	}

	private final Builder settings;

	private final Path directory;

	private final Path configFile;

	private final Path logFile;

	private int port;

	private int tlsPort;

	private int wsPort;

	private int wssPort;

	private Process process;

	private MosquittoBroker(Builder settings) throws IOException {
		this.settings = settings;
		this.directory = Files.createTempDirectory("mqttboot-mosquitto-");
		this.configFile = this.directory.resolve("mosquitto.conf");
		this.logFile = this.directory.resolve("mosquitto.log");
	}

	/**
	 * Whether a {@code mosquitto} executable can be found.
	 * @return {@code true} if Mosquitto can be started
	 */
	public static boolean isAvailable() {
		return executable().isPresent();
	}

	/**
	 * Locate the {@code mosquitto} executable: the system property {@value #EXECUTABLE_PROPERTY} if set, else
	 * {@code /usr/sbin}, {@code /usr/local/sbin}, Homebrew or {@code PATH}.
	 * @return the executable, if any
	 */
	public static Optional<Path> executable() {
		String configured = System.getProperty(EXECUTABLE_PROPERTY);
		if (configured != null && !configured.isBlank()) {
			Path path = Paths.get(configured.trim());
			return (Files.isRegularFile(path) && Files.isExecutable(path)) ? Optional.of(path) : Optional.empty();
		}
		return findExecutable("mosquitto");
	}

	private static Optional<Path> findExecutable(String name) {
		List<Path> candidates = new ArrayList<>();
		for (String dir : List.of("/usr/sbin", "/usr/local/sbin", "/opt/homebrew/sbin", "/usr/bin", "/usr/local/bin")) {
			candidates.add(Paths.get(dir, name));
		}
		String path = System.getenv("PATH");
		if (path != null) {
			for (String dir : path.split(File.pathSeparator)) {
				if (!dir.isEmpty()) {
					candidates.add(Paths.get(dir, name));
				}
			}
		}
		return candidates.stream().filter((candidate) -> Files.isRegularFile(candidate) && Files.isExecutable(candidate))
			.findFirst();
	}

	/**
	 * Start a configuration builder.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Start a broker with a single anonymous plain TCP listener.
	 * @return the running broker
	 */
	public static MosquittoBroker startPlain() {
		return builder().start();
	}

	private void startFresh() {
		IllegalStateException last = null;
		for (int attempt = 1; attempt <= MAX_START_ATTEMPTS; attempt++) {
			allocatePorts();
			writeConfig();
			try {
				Files.deleteIfExists(this.logFile);
				launch();
				return;
			}
			catch (IllegalStateException ex) {
				// Another process may have taken a port between allocation and start: retry with new ports
				if (!readLog().contains("Address already in use")) {
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

	/**
	 * Stop the broker process (SIGTERM, then SIGKILL after a bounded wait). Idempotent.
	 */
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
	 * Start the broker again on the same ports and with the same configuration (for reconnect tests).
	 */
	public synchronized void start() {
		if (this.process != null) {
			return;
		}
		awaitPortsBindable();
		launch();
	}

	/**
	 * Stop and start again on the same ports.
	 */
	public synchronized void restart() {
		stop();
		start();
	}

	/**
	 * Whether the broker process is alive.
	 * @return {@code true} if running
	 */
	public synchronized boolean isRunning() {
		return this.process != null && this.process.isAlive();
	}

	@Override
	public void close() {
		stop();
	}

	private void allocatePorts() {
		List<ServerSocket> sockets = new ArrayList<>();
		try {
			this.port = allocate(sockets, true);
			this.tlsPort = this.settings.tls ? allocate(sockets, true) : -1;
			this.wsPort = this.settings.webSocket ? allocate(sockets, false) : -1;
			this.wssPort = this.settings.secureWebSocket ? allocate(sockets, false) : -1;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		finally {
			for (ServerSocket socket : sockets) {
				try {
					socket.close();
				}
				catch (IOException ex) {
					// ignore
				}
			}
		}
	}

	private static int allocate(List<ServerSocket> sockets, boolean loopback) throws IOException {
		ServerSocket socket = new ServerSocket();
		sockets.add(socket);
		socket.bind(loopback ? new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0) : new InetSocketAddress(0));
		return socket.getLocalPort();
	}

	private void writeConfig() {
		TestCertificates certs = (this.tlsPort > 0 || this.wssPort > 0) ? this.settings.certificates() : null;
		List<String> lines = new ArrayList<>();
		lines.add("# generated by " + MosquittoBroker.class.getName());
		lines.add("user " + System.getProperty("user.name"));
		lines.add("persistence false");
		lines.add("log_dest stdout");
		lines.add("log_type error");
		lines.add("log_type warning");
		lines.add("log_type notice");
		lines.add("log_type information");
		lines.add("log_timestamp_format %H:%M:%S");
		lines.add("connection_messages true");
		if (this.settings.users.isEmpty()) {
			lines.add("allow_anonymous true");
		}
		else {
			lines.add("allow_anonymous false");
			lines.add("password_file " + writePasswordFile());
		}
		if (this.settings.allowZeroLengthClientId) {
			lines.add("allow_zero_length_clientid true");
		}
		lines.addAll(this.settings.rawLines);
		lines.add("");
		lines.add("listener " + this.port + " 127.0.0.1");
		lines.add("protocol mqtt");
		lines.addAll(this.settings.listenerLines);
		if (this.tlsPort > 0) {
			lines.add("");
			lines.add("listener " + this.tlsPort + " 127.0.0.1");
			lines.add("protocol mqtt");
			addTls(lines, certs);
		}
		if (this.wsPort > 0) {
			lines.add("");
			lines.add("listener " + this.wsPort);
			lines.add("protocol websockets");
		}
		if (this.wssPort > 0) {
			lines.add("");
			lines.add("listener " + this.wssPort);
			lines.add("protocol websockets");
			addTls(lines, certs);
		}
		try {
			Files.write(this.configFile, lines, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void addTls(List<String> lines, TestCertificates certs) {
		lines.add("cafile " + certs.caCrt());
		lines.add("certfile " + certs.serverCrt());
		lines.add("keyfile " + certs.serverKey());
		if (this.settings.requireClientCertificate) {
			lines.add("require_certificate true");
			lines.add("use_identity_as_username false");
		}
	}

	private Path writePasswordFile() {
		Path file = this.directory.resolve("passwd");
		Optional<Path> tool = findExecutable("mosquitto_passwd");
		try {
			Files.deleteIfExists(file);
			if (tool.isPresent()) {
				boolean first = true;
				for (Map.Entry<String, String> user : this.settings.users.entrySet()) {
					List<String> command = new ArrayList<>(List.of(tool.get().toString(), "-b"));
					if (first) {
						command.add("-c");
					}
					command.addAll(List.of(file.toString(), user.getKey(), user.getValue()));
					run(command);
					first = false;
				}
			}
			else {
				List<String> lines = new ArrayList<>();
				this.settings.users.forEach((user, password) -> lines.add(user + ":" + hashPassword(password)));
				Files.write(file, lines, StandardCharsets.UTF_8);
			}
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void run(List<String> command) throws IOException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		try {
			if (!process.waitFor(STARTUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException("Timed out running " + command);
			}
			if (process.exitValue() != 0) {
				throw new IllegalStateException("Failed to run " + command + ": "
						+ new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Hash a password in Mosquitto 2 password-file format ({@code $7$}: PBKDF2-HMAC-SHA512, 101 iterations).
	 * @param password the clear text password
	 * @return the hashed entry (without the {@code user:} prefix)
	 */
	static String hashPassword(String password) {
		byte[] salt = new byte[12];
		new SecureRandom().nextBytes(salt);
		return "$7$101$" + Base64.getEncoder().encodeToString(salt) + "$"
				+ Base64.getEncoder().encodeToString(pbkdf2(password, salt, 101));
	}

	static byte[] pbkdf2(String password, byte[] salt, int iterations) {
		try {
			PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 512);
			return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512").generateSecret(spec).getEncoded();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private void launch() {
		Path mosquitto = executable().orElseThrow(() -> new IllegalStateException(MosquittoCondition.notFoundMessage()));
		try {
			this.process = new ProcessBuilder(mosquitto.toString(), "-c", this.configFile.toString())
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
			Awaitility.await("mosquitto listening on " + ports())
				.atMost(STARTUP_TIMEOUT)
				.pollDelay(Duration.ZERO)
				.pollInterval(Duration.ofMillis(25))
				.until(() -> {
					if (!started.isAlive()) {
						throw new IllegalStateException("exited with code " + started.exitValue());
					}
					return ports().values().stream().allMatch(MosquittoBroker::accepts);
				});
			logger.debug("Mosquitto started: " + this);
		}
		catch (RuntimeException ex) {
			stop();
			String reason = (ex instanceof ConditionTimeoutException) ? "did not listen within " + STARTUP_TIMEOUT
					: ex.getMessage();
			throw new IllegalStateException("Mosquitto failed to start (" + reason + "), config " + this.configFile
					+ ":\n" + readConfig() + "\nlog " + this.logFile + ":\n" + readLog(), ex);
		}
	}

	private void awaitPortsBindable() {
		Awaitility.await("ports " + ports() + " free for restart")
			.atMost(STARTUP_TIMEOUT)
			.pollDelay(Duration.ZERO)
			.pollInterval(Duration.ofMillis(50))
			.until(() -> ports().entrySet().stream().allMatch((entry) -> bindable(entry.getKey(), entry.getValue())));
	}

	private static boolean bindable(String kind, int port) {
		try (ServerSocket socket = new ServerSocket()) {
			socket.setReuseAddress(true);
			boolean loopback = kind.equals("mqtt") || kind.equals("mqtts");
			socket.bind(loopback ? new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port)
					: new InetSocketAddress(port));
			return true;
		}
		catch (IOException ex) {
			return false;
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

	private Map<String, Integer> ports() {
		Map<String, Integer> ports = new LinkedHashMap<>();
		ports.put("mqtt", this.port);
		if (this.tlsPort > 0) {
			ports.put("mqtts", this.tlsPort);
		}
		if (this.wsPort > 0) {
			ports.put("ws", this.wsPort);
		}
		if (this.wssPort > 0) {
			ports.put("wss", this.wssPort);
		}
		return ports;
	}

	/**
	 * The broker output so far (useful in assertion messages).
	 * @return the log content
	 */
	public String readLog() {
		return read(this.logFile);
	}

	private String readConfig() {
		return read(this.configFile);
	}

	private static String read(Path file) {
		try {
			return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
		}
		catch (IOException ex) {
			return "<" + ex + ">";
		}
	}

	/** Port of the plain MQTT listener on 127.0.0.1. */
	public int port() {
		return this.port;
	}

	/** Paho style URL of the plain listener: {@code tcp://127.0.0.1:port}. */
	public String tcpUrl() {
		return "tcp://127.0.0.1:" + this.port;
	}

	/** {@code mqtt://127.0.0.1:port}. */
	public String mqttUrl() {
		return "mqtt://127.0.0.1:" + this.port;
	}

	/** Port of the TLS listener on 127.0.0.1. */
	public int tlsPort() {
		return requirePort(this.tlsPort, "TLS");
	}

	/** {@code mqtts://localhost:port} (the server certificate is valid for localhost, 127.0.0.1 and ::1). */
	public String mqttsUrl() {
		return "mqtts://localhost:" + tlsPort();
	}

	/** Paho style TLS URL: {@code ssl://localhost:port}. */
	public String sslUrl() {
		return "ssl://localhost:" + tlsPort();
	}

	/** Port of the WebSocket listener. */
	public int wsPort() {
		return requirePort(this.wsPort, "WebSocket");
	}

	/** {@code ws://127.0.0.1:port/mqtt} ({@code ws://localhost:port/mqtt} works too). */
	public String wsUrl() {
		return "ws://127.0.0.1:" + wsPort() + "/mqtt";
	}

	/** Port of the TLS WebSocket listener. */
	public int wssPort() {
		return requirePort(this.wssPort, "secure WebSocket");
	}

	/** {@code wss://localhost:port/mqtt}. */
	public String wssUrl() {
		return "wss://localhost:" + wssPort() + "/mqtt";
	}

	/** Certificates used by the TLS listeners. */
	public TestCertificates certificates() {
		return this.settings.certificates();
	}

	/** Temporary directory holding the config, password file and log. */
	public Path directory() {
		return this.directory;
	}

	/** The broker log file. */
	public Path logFile() {
		return this.logFile;
	}

	private static int requirePort(int port, String kind) {
		if (port <= 0) {
			throw new IllegalStateException("No " + kind + " listener configured");
		}
		return port;
	}

	@Override
	public String toString() {
		return "MosquittoBroker" + ports() + " in " + this.directory;
	}

	/**
	 * Builder of a {@link MosquittoBroker}.
	 */
	public static final class Builder {

		private boolean tls;

		private boolean requireClientCertificate;

		private boolean webSocket;

		private boolean secureWebSocket;

		private boolean allowZeroLengthClientId;

		private TestCertificates certificates;

		private final Map<String, String> users = new LinkedHashMap<>();

		private final List<String> rawLines = new ArrayList<>();

		private final List<String> listenerLines = new ArrayList<>();

		private Builder() {
		}

		/** Add a one-way TLS listener ({@link MosquittoBroker#mqttsUrl()}). */
		public Builder tls() {
			this.tls = true;
			return this;
		}

		/** Add a TLS listener requiring a client certificate signed by the test CA (mutual TLS). */
		public Builder mutualTls() {
			this.tls = true;
			this.requireClientCertificate = true;
			return this;
		}

		/** Add a plain WebSocket listener ({@link MosquittoBroker#wsUrl()}). */
		public Builder webSocket() {
			this.webSocket = true;
			return this;
		}

		/** Add a TLS WebSocket listener ({@link MosquittoBroker#wssUrl()}). */
		public Builder secureWebSocket() {
			this.secureWebSocket = true;
			return this;
		}

		/** Add a user to a generated {@code password_file}; this also sets {@code allow_anonymous false}. */
		public Builder user(String username, String password) {
			this.users.put(username, password);
			return this;
		}

		/** Set {@code allow_zero_length_clientid true}. */
		public Builder allowZeroLengthClientId() {
			this.allowZeroLengthClientId = true;
			return this;
		}

		/**
		 * Set {@code max_qos}: the highest QoS the broker accepts (announced as Maximum QoS in an MQTT 5 CONNACK;
		 * a PUBLISH above it is answered with a disconnect).
		 */
		public Builder maxQos(int qos) {
			return listenerConfig("max_qos " + qos);
		}

		/** Set {@code retain_available false}: retained messages are refused (announced in an MQTT 5 CONNACK). */
		public Builder retainUnavailable() {
			return listenerConfig("retain_available false");
		}

		/** Set {@code max_packet_size}: bigger packets from a client are answered with a disconnect. */
		public Builder maxPacketSize(int bytes) {
			return listenerConfig("max_packet_size " + bytes);
		}

		/** Set {@code max_keepalive}: the broker's Server Keep Alive for clients asking for more (or for none). */
		public Builder maxKeepAlive(int seconds) {
			return listenerConfig("max_keepalive " + seconds);
		}

		/**
		 * Add configuration lines after the plain listener: Mosquitto binds a default listener on port 1883 for
		 * a listener option (such as {@code max_qos}) that comes before any {@code listener} line.
		 */
		public Builder listenerConfig(String... lines) {
			this.listenerLines.addAll(List.of(lines));
			return this;
		}

		/**
		 * A strict broker, like cloud brokers are: {@code max_qos 1}, {@code retain_available false},
		 * {@code max_packet_size 4096}, {@code max_keepalive 30}.
		 */
		public Builder strict() {
			return maxQos(1).retainUnavailable().maxPacketSize(STRICT_MAX_PACKET_SIZE).maxKeepAlive(STRICT_MAX_KEEP_ALIVE);
		}

		/** Add raw global configuration lines, e.g. {@code "max_inflight_messages 5"}. */
		public Builder config(String... lines) {
			this.rawLines.addAll(List.of(lines));
			return this;
		}

		/** Use the given certificates instead of {@link TestCertificates#shared()}. */
		public Builder certificates(TestCertificates certificates) {
			this.certificates = certificates;
			return this;
		}

		private TestCertificates certificates() {
			if (this.certificates == null) {
				this.certificates = TestCertificates.shared();
			}
			return this.certificates;
		}

		/**
		 * Write the configuration and start the broker, waiting until every listener accepts connections.
		 * @return the running broker
		 */
		public MosquittoBroker start() {
			try {
				MosquittoBroker broker = new MosquittoBroker(this);
				broker.startFresh();
				return broker;
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

}
