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
package io.mqttboot.autoconfigure.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

import com.hivemq.configuration.service.InternalConfigurations;
import com.hivemq.embedded.EmbeddedHiveMQ;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.Assert;
import org.springframework.util.FileSystemUtils;

/**
 * An in-process MQTT broker (HiveMQ Community Edition, embedded) for development and
 * tests: one plain TCP listener bound to {@code 127.0.0.1} only, in-memory persistence,
 * anonymous access, no extensions, no usage statistics. Its configuration, data and
 * extensions folders are temporary and deleted when it stops.
 * <p>
 * Inject it to find the port that was picked for {@code mqtt.embedded.port=0}.
 *
 * @author mqttboot
 */
public final class EmbeddedMqttBroker {

	private static final Log logger = LogFactory.getLog(EmbeddedMqttBroker.class);

	static final String PORT_PROPERTY = "mqtt.embedded.port";

	private static final String HOST = "127.0.0.1";

	private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration PORT_RELEASE_TIMEOUT = Duration.ofSeconds(5);

	private static final long PORT_RELEASE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

	/**
	 * Grace period (ms) of HiveMQ's in-memory persistence at shutdown; its default of 2 s
	 * only delays the stop of a broker whose state is discarded anyway.
	 */
	private static final int PERSISTENCE_SHUTDOWN_GRACE_PERIOD_MILLIS = 100;

	private final int configuredPort;

	private volatile int port;

	private @Nullable Path directory;

	private @Nullable EmbeddedHiveMQ hiveMq;

	EmbeddedMqttBroker(int configuredPort) {
		if (configuredPort < 0 || configuredPort > 65535) {
			throw new InvalidConfigurationPropertyValueException(PORT_PROPERTY, configuredPort,
					"Use a port from 1 to 65535, or 0 to pick a free port");
		}
		this.configuredPort = configuredPort;
	}

	/**
	 * Return the port of the broker's TCP listener on {@code 127.0.0.1}.
	 * @return the port, never {@code 0} once the broker has started
	 */
	public int getPort() {
		int port = this.port;
		Assert.state(port > 0, "The embedded MQTT broker has not started");
		return port;
	}

	/**
	 * Return the URL clients use to connect, {@code mqtt://127.0.0.1:<port>}.
	 * @return the URL of the broker
	 */
	public String getUrl() {
		return "mqtt://" + HOST + ":" + getPort();
	}

	/**
	 * Return the temporary folder holding the broker's configuration, data and extensions
	 * folders while it runs.
	 * @return the folder or {@code null} when the broker is not running
	 */
	synchronized @Nullable Path getDirectory() {
		return this.directory;
	}

	/**
	 * Start the broker and wait until it listens.
	 * @throws InvalidConfigurationPropertyValueException if the port is already in use
	 */
	synchronized void start() {
		if (this.hiveMq != null) {
			return;
		}
		int port = (this.configuredPort != 0) ? this.configuredPort : freePort();
		if (!isFree(port)) {
			throw portInUse(port, null);
		}
		long begin = System.nanoTime();
		Path directory = createDirectories(port);
		EmbeddedHiveMQ hiveMq = EmbeddedHiveMQ.builder()
			.withConfigurationFolder(directory.resolve("conf"))
			.withDataFolder(directory.resolve("data"))
			.withExtensionsFolder(directory.resolve("extensions"))
			.withoutLoggingBootstrap()
			.build();
		shortenPersistenceShutdown();
		// HiveMQ installs a JVM-wide uncaught exception handler that may call
		// System.exit: keep the application's own
		Thread.UncaughtExceptionHandler handler = Thread.getDefaultUncaughtExceptionHandler();
		try {
			hiveMq.start().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			close(hiveMq, hiveMq.stop(), directory);
			throw new IllegalStateException("Interrupted while starting the embedded MQTT broker", ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			close(hiveMq, hiveMq.stop(), directory);
			Throwable cause = (ex instanceof ExecutionException) ? ex.getCause() : ex;
			if (!isFree(port)) {
				throw portInUse(port, cause);
			}
			throw new IllegalStateException("The embedded MQTT broker (HiveMQ CE) failed to start on port " + port,
					cause);
		}
		finally {
			Thread.setDefaultUncaughtExceptionHandler(handler);
		}
		this.hiveMq = hiveMq;
		this.directory = directory;
		this.port = port;
		if (logger.isInfoEnabled()) {
			logger.info("Embedded MQTT broker (HiveMQ CE) started on " + getUrl() + " in "
					+ Duration.ofNanos(System.nanoTime() - begin).toMillis() + " ms");
		}
	}

	/**
	 * Stop the broker and delete its temporary folders. Returns once the broker no longer
	 * listens on its port (bounded wait); the rest of its stop goes on in the background:
	 * HiveMQ CE then waits a fixed 2 s for its network threads (Netty's quiet period),
	 * which would otherwise add 2 s to the close of every context with an embedded
	 * broker.
	 */
	synchronized void stop() {
		EmbeddedHiveMQ hiveMq = this.hiveMq;
		Path directory = this.directory;
		if (hiveMq == null || directory == null) {
			return;
		}
		this.hiveMq = null;
		this.directory = null;
		long begin = System.nanoTime();
		CompletableFuture<Void> stopped = hiveMq.stop();
		long deadline = begin + PORT_RELEASE_TIMEOUT.toNanos();
		while (!stopped.isDone() && !isFree(this.port) && System.nanoTime() - deadline < 0) {
			LockSupport.parkNanos(PORT_RELEASE_POLL_NANOS);
		}
		// Not a daemon: the JVM waits for it, so that the folders are deleted
		Thread closer = new Thread(() -> close(hiveMq, stopped, directory), "mqtt-embedded-broker-stop");
		closer.start();
		if (logger.isDebugEnabled()) {
			logger.debug("Embedded MQTT broker stopped listening after "
					+ Duration.ofNanos(System.nanoTime() - begin).toMillis() + " ms");
		}
	}

	private static void close(EmbeddedHiveMQ hiveMq, CompletableFuture<Void> stopped, Path directory) {
		try {
			stopped.get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			// a broker that failed to start reports that again here
			logger.debug("Embedded MQTT broker did not stop cleanly", ex);
		}
		try {
			// also ends HiveMQ's state-change thread
			hiveMq.close();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException ex) {
			logger.debug("Embedded MQTT broker did not close cleanly", ex);
		}
		try {
			FileSystemUtils.deleteRecursively(directory);
		}
		catch (IOException ex) {
			logger.warn("Could not delete the folder of the embedded MQTT broker " + directory + ": " + ex);
		}
	}

	private static Path createDirectories(int port) {
		Path directory = null;
		try {
			directory = Files.createTempDirectory("mqttboot-embedded-broker-");
			Path conf = Files.createDirectories(directory.resolve("conf"));
			Files.createDirectories(directory.resolve("data"));
			Files.createDirectories(directory.resolve("extensions"));
			Files.writeString(conf.resolve("config.xml"), configXml(port), StandardCharsets.UTF_8);
			return directory;
		}
		catch (IOException ex) {
			if (directory != null) {
				FileSystemUtils.deleteRecursively(directory.toFile());
			}
			throw new UncheckedIOException("Could not create the folders of the embedded MQTT broker", ex);
		}
	}

	private static String configXml(int port) {
		return """
				<?xml version="1.0"?>
				<hivemq>
				  <listeners>
				    <tcp-listener>
				      <port>%d</port>
				      <bind-address>%s</bind-address>
				    </tcp-listener>
				  </listeners>
				  <persistence>
				    <mode>in-memory</mode>
				  </persistence>
				  <anonymous-usage-statistics>
				    <enabled>false</enabled>
				  </anonymous-usage-statistics>
				</hivemq>
				""".formatted(port, HOST);
	}

	private static void shortenPersistenceShutdown() {
		try {
			InternalConfigurations.PERSISTENCE_SHUTDOWN_GRACE_PERIOD_MSEC.set(PERSISTENCE_SHUTDOWN_GRACE_PERIOD_MILLIS);
		}
		catch (LinkageError ex) {
			// internal setting of HiveMQ moved: keep its default
		}
	}

	private static InvalidConfigurationPropertyValueException portInUse(int port, @Nullable Throwable cause) {
		InvalidConfigurationPropertyValueException ex = new InvalidConfigurationPropertyValueException(PORT_PROPERTY,
				port,
				"Port " + port + " on " + HOST + " is already in use, probably by another MQTT broker. Set "
						+ PORT_PROPERTY + " to a free port or to 0 (a free port is picked), or stop the other "
						+ "broker, or set mqtt.embedded.enabled=false and mqtt.url to that broker.");
		if (cause != null) {
			ex.initCause(cause);
		}
		return ex;
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket()) {
			socket.bind(new InetSocketAddress(loopback(), 0), 1);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not find a free port on " + HOST, ex);
		}
	}

	private static boolean isFree(int port) {
		try (ServerSocket socket = new ServerSocket()) {
			socket.bind(new InetSocketAddress(loopback(), port), 1);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static InetAddress loopback() throws IOException {
		return InetAddress.getByName(HOST);
	}

	@Override
	public String toString() {
		int port = this.port;
		return "EmbeddedMqttBroker[" + ((port > 0) ? "mqtt://" + HOST + ":" + port : "not started") + "]";
	}

}
