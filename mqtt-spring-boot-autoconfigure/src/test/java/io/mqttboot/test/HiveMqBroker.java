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
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import com.hivemq.embedded.EmbeddedHiveMQ;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.slf4j.LoggerFactory;

/**
 * An in-process HiveMQ CE broker (embedded) on free loopback ports, with a JVM-wide {@link #shared()} instance.
 * <p>
 * Defaults of HiveMQ CE 2025.5 that matter in tests: anonymous access is allowed (the embedded builder sets
 * {@code AUTH_DENY_UNAUTHENTICATED_CONNECTIONS=false} and there are no extensions); server receive maximum is
 * <b>10</b> (at most 10 unacknowledged QoS 1/2 PUBLISHes in flight from a client); max client id length 65535;
 * max topic length 65535; max queued messages per offline client 1000 (newest discarded); topic aliases max 5 per
 * client; max packet size 268435460; session and message expiry unlimited; max QoS 2; retained, wildcard and shared
 * subscriptions enabled; empty client ids allowed (server assigned); no-connect idle timeout 10 s. Starting takes
 * about 1 s, stopping about 2 s. A stopped {@code EmbeddedHiveMQ} cannot be started again (duplicate metrics), so
 * {@link #start()} after {@link #stop()} builds a new one on the same ports (sessions and retained messages are lost).
 */
public final class HiveMqBroker implements TestBroker {

	private static final Log logger = LogFactory.getLog(HiveMqBroker.class);

	private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

	private static HiveMqBroker shared;

	private final Path directory;

	private final int port;

	private final int wsPort;

	private final boolean isShared;

	private EmbeddedHiveMQ hiveMq;

	private HiveMqBroker(boolean webSocket, String extraConfigXml, boolean isShared) throws IOException {
		this.isShared = isShared;
		this.directory = Files.createTempDirectory("mqttboot-hivemq-");
		try (ServerSocket tcp = newLoopbackSocket(); ServerSocket ws = webSocket ? newLoopbackSocket() : null) {
			this.port = tcp.getLocalPort();
			this.wsPort = (ws != null) ? ws.getLocalPort() : -1;
		}
		Path config = Files.createDirectories(this.directory.resolve("conf"));
		Files.createDirectories(this.directory.resolve("data"));
		Files.createDirectories(this.directory.resolve("extensions"));
		Files.writeString(config.resolve("config.xml"), configXml(extraConfigXml), StandardCharsets.UTF_8);
	}

	/**
	 * The JVM-wide broker (TCP and WebSocket listeners), started on first use and never stopped explicitly.
	 * @return the running shared broker; {@link #close()} on it is a no-op
	 */
	public static synchronized HiveMqBroker shared() {
		quietLogging();
		if (shared == null) {
			HiveMqBroker broker = startOnFreePorts(true, "", true);
			// Deliberately never stopped: stopping takes ~2 s and the in-memory broker dies with the JVM
			shared = broker;
		}
		return shared;
	}

	/**
	 * Start a dedicated broker (e.g. for reconnect tests); close it when done.
	 * @param webSocket whether to add a WebSocket listener on {@code /mqtt}
	 * @return the running broker
	 */
	public static HiveMqBroker start(boolean webSocket) {
		return start(webSocket, "");
	}

	/**
	 * Start a dedicated broker with extra top-level config XML, e.g.
	 * {@code <mqtt><receive-maximum><server-receive-maximum>100</server-receive-maximum></receive-maximum></mqtt>}.
	 * @param webSocket whether to add a WebSocket listener on {@code /mqtt}
	 * @param extraConfigXml XML elements inserted into {@code <hivemq>}
	 * @return the running broker
	 */
	public static HiveMqBroker start(boolean webSocket, String extraConfigXml) {
		quietLogging();
		return startOnFreePorts(webSocket, extraConfigXml, false);
	}

	// A port found free may be taken by another process (another build's Tomcat or broker)
	// before HiveMQ binds it, and then a client reaches that process instead: try new
	// ports until HiveMQ itself answers on them.
	private static HiveMqBroker startOnFreePorts(boolean webSocket, String extraConfigXml, boolean isShared) {
		IllegalStateException failure = null;
		for (int attempt = 0; attempt < 3; attempt++) {
			HiveMqBroker broker = create(webSocket, extraConfigXml, isShared);
			try {
				broker.start();
				if (broker.answersMqtt()) {
					return broker;
				}
				failure = new IllegalStateException("Another process took a port of " + broker);
			}
			catch (IllegalStateException ex) {
				failure = ex;
			}
			broker.stop();
		}
		throw failure;
	}

	// Whether HiveMQ answers a CONNECT on the TCP port with a CONNACK and a WebSocket
	// upgrade on /mqtt with 101
	private boolean answersMqtt() {
		byte[] connect = { 0x10, 0x10, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x02, 0x00, 0x0A, 0x00, 0x04, 'p', 'r',
				'o', 'b' };
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), this.port), 1000);
			socket.setSoTimeout(5000);
			socket.getOutputStream().write(connect);
			if (socket.getInputStream().read() != 0x20) {
				return false;
			}
		}
		catch (IOException ex) {
			return false;
		}
		if (this.wsPort <= 0) {
			return true;
		}
		String upgrade = "GET /mqtt HTTP/1.1\r\nHost: 127.0.0.1:" + this.wsPort + "\r\nUpgrade: websocket\r\n"
				+ "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
				+ "Sec-WebSocket-Protocol: mqtt\r\nSec-WebSocket-Version: 13\r\n\r\n";
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), this.wsPort), 1000);
			socket.setSoTimeout(5000);
			socket.getOutputStream().write(upgrade.getBytes(StandardCharsets.US_ASCII));
			byte[] status = socket.getInputStream().readNBytes(12);
			return new String(status, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 101");
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static HiveMqBroker create(boolean webSocket, String extraConfigXml, boolean isShared) {
		try {
			return new HiveMqBroker(webSocket, extraConfigXml, isShared);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private String configXml(String extraConfigXml) {
		StringBuilder xml = new StringBuilder();
		xml.append("<?xml version=\"1.0\"?>\n<hivemq>\n  <listeners>\n");
		xml.append("    <tcp-listener><port>").append(this.port)
			.append("</port><bind-address>127.0.0.1</bind-address></tcp-listener>\n");
		if (this.wsPort > 0) {
			xml.append("    <websocket-listener><port>").append(this.wsPort)
				.append("</port><bind-address>127.0.0.1</bind-address><path>/mqtt</path></websocket-listener>\n");
		}
		xml.append("  </listeners>\n");
		xml.append("  <persistence><mode>in-memory</mode></persistence>\n");
		xml.append("  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>\n");
		xml.append(extraConfigXml).append("\n</hivemq>\n");
		return xml.toString();
	}

	/**
	 * Start (or start again on the same ports after {@link #stop()}); waits until the TCP port accepts connections.
	 */
	public synchronized void start() {
		if (this.hiveMq != null) {
			return;
		}
		long begin = System.nanoTime();
		shortenPersistenceShutdown();
		// A stopped EmbeddedHiveMQ cannot be started again ("A metric named ... already exists"): build a new one
		this.hiveMq = EmbeddedHiveMQ.builder()
			.withConfigurationFolder(this.directory.resolve("conf"))
			.withDataFolder(this.directory.resolve("data"))
			.withExtensionsFolder(this.directory.resolve("extensions"))
			.withoutLoggingBootstrap()
			.build();
		try {
			this.hiveMq.start().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			stop();
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			stop();
			throw new IllegalStateException("HiveMQ failed to start in " + this.directory, ex);
		}
		if (!accepts(this.port) || (this.wsPort > 0 && !accepts(this.wsPort))) {
			stop();
			throw new IllegalStateException("HiveMQ started but does not listen on " + this.port
					+ ((this.wsPort > 0) ? " / " + this.wsPort : "") + " (port taken?)");
		}
		logger.debug("HiveMQ started in " + Duration.ofNanos(System.nanoTime() - begin).toMillis() + " ms: " + this);
	}

	/**
	 * Stop the broker (bounded); it can be started again on the same ports with {@link #start()} (state is lost).
	 */
	public synchronized void stop() {
		EmbeddedHiveMQ current = this.hiveMq;
		if (current == null) {
			return;
		}
		this.hiveMq = null;
		try {
			current.stop().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			logger.warn("HiveMQ did not stop cleanly", ex);
		}
		// close() ends the non-daemon state-change thread that would otherwise keep the JVM alive
		try {
			current.close();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException ex) {
			logger.warn("HiveMQ did not close cleanly", ex);
		}
	}

	/** Whether the broker is started. */
	public synchronized boolean isRunning() {
		return this.hiveMq != null;
	}

	/**
	 * Stop and start again on the same ports (not allowed on the shared instance).
	 */
	public void restart() {
		assertNotShared("restart");
		stop();
		start();
	}

	/**
	 * Stop a dedicated broker; a no-op for the {@link #shared()} one.
	 */
	@Override
	public void close() {
		if (!this.isShared) {
			stop();
		}
	}

	private void assertNotShared(String operation) {
		if (this.isShared) {
			throw new IllegalStateException("Cannot " + operation + " the shared HiveMQ broker; use start(...)");
		}
	}

	private static void shortenPersistenceShutdown() {
		try {
			com.hivemq.configuration.service.InternalConfigurations.PERSISTENCE_SHUTDOWN_GRACE_PERIOD_MSEC.set(100);
		}
		catch (LinkageError ex) {
			// internal API moved: keep the default
		}
	}

	private static void quietLogging() {
		try {
			if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
				for (String name : new String[] { "com.hivemq", "jetbrains.exodus", "oshi", "org.jboss.logging" }) {
					context.getLogger(name).setLevel(Level.WARN);
				}
			}
		}
		catch (LinkageError ex) {
			// logback not present: nothing to quiet
		}
	}

	private static ServerSocket newLoopbackSocket() throws IOException {
		ServerSocket socket = new ServerSocket();
		socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
		return socket;
	}

	private static boolean accepts(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 1000);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/** Port of the TCP listener on 127.0.0.1. */
	public int port() {
		return this.port;
	}

	/** {@code tcp://127.0.0.1:port}. */
	public String tcpUrl() {
		return "tcp://127.0.0.1:" + this.port;
	}

	/** {@code mqtt://127.0.0.1:port}. */
	public String mqttUrl() {
		return "mqtt://127.0.0.1:" + this.port;
	}

	/** Port of the WebSocket listener on 127.0.0.1. */
	public int wsPort() {
		if (this.wsPort <= 0) {
			throw new IllegalStateException("No WebSocket listener configured");
		}
		return this.wsPort;
	}

	/** {@code ws://127.0.0.1:port/mqtt}. */
	public String wsUrl() {
		return "ws://127.0.0.1:" + wsPort() + "/mqtt";
	}

	/** Temporary directory with the conf, data and extensions folders. */
	public Path directory() {
		return this.directory;
	}

	@Override
	public String toString() {
		return "HiveMqBroker[" + tcpUrl() + ((this.wsPort > 0) ? ", " + wsUrl() : "") + "]";
	}

}
