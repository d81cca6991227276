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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import com.hivemq.configuration.service.InternalConfigurations;
import com.hivemq.embedded.EmbeddedHiveMQ;
import org.jspecify.annotations.Nullable;

import org.springframework.util.FileSystemUtils;

/**
 * The broker of the benchmark: HiveMQ CE embedded in this JVM on a free loopback port,
 * or an external broker given by URL (loopback only).
 *
 * @author mqttboot
 */
final class BenchmarkBroker implements AutoCloseable {

	/**
	 * HiveMQ CE's default per-client queue limit (messages queued for a client beyond its
	 * in-flight window, or while offline).
	 */
	static final int HIVEMQ_DEFAULT_MAX_QUEUED = 1000;

	/**
	 * HiveMQ CE's default server Receive Maximum.
	 */
	static final int HIVEMQ_DEFAULT_RECEIVE_MAXIMUM = 10;

	private final String url;

	private final @Nullable EmbeddedHiveMQ hiveMq;

	private final @Nullable Path directory;

	private final @Nullable Integer receiveMaximum;

	private final int maxQueueSize;

	private BenchmarkBroker(String url, @Nullable EmbeddedHiveMQ hiveMq, @Nullable Path directory,
			@Nullable Integer receiveMaximum, int maxQueueSize) {
		this.url = url;
		this.hiveMq = hiveMq;
		this.directory = directory;
		this.receiveMaximum = receiveMaximum;
		this.maxQueueSize = maxQueueSize;
	}

	/**
	 * Use an external broker, which must listen on a loopback address.
	 * @param url the broker URL, {@code tcp://127.0.0.1:<port>}
	 * @return the broker
	 */
	static BenchmarkBroker external(String url) {
		String host = URI.create(url).getHost();
		try {
			if (host == null || !InetAddress.getByName(host).isLoopbackAddress()) {
				throw new IllegalArgumentException("The benchmark only talks to loopback brokers, not " + url);
			}
		}
		catch (IOException ex) {
			throw new IllegalArgumentException("Unknown host in " + url, ex);
		}
		return new BenchmarkBroker(url, null, null, null, 0);
	}

	/**
	 * Start HiveMQ CE in this JVM on a free port of 127.0.0.1, in-memory persistence.
	 * @param receiveMaximum the server Receive Maximum to configure, or {@code null} for
	 * HiveMQ's default
	 * @param maxQueueSize the per-client queue limit to configure
	 * @return the started broker
	 * @throws Exception if it does not start within a minute
	 */
	static BenchmarkBroker embedded(@Nullable Integer receiveMaximum, int maxQueueSize)
			throws Exception {
		int port = freePort();
		Path directory = Files.createTempDirectory("mqttboot-benchmark-broker-");
		Path conf = Files.createDirectories(directory.resolve("conf"));
		Files.createDirectories(directory.resolve("data"));
		Files.createDirectories(directory.resolve("extensions"));
		Files.writeString(conf.resolve("config.xml"), configXml(port, receiveMaximum, maxQueueSize),
				StandardCharsets.UTF_8);
		InternalConfigurations.PERSISTENCE_SHUTDOWN_GRACE_PERIOD_MSEC.set(100);
		EmbeddedHiveMQ hiveMq = EmbeddedHiveMQ.builder()
			.withConfigurationFolder(conf)
			.withDataFolder(directory.resolve("data"))
			.withExtensionsFolder(directory.resolve("extensions"))
			.withoutLoggingBootstrap()
			.build();
		Thread.UncaughtExceptionHandler handler = Thread.getDefaultUncaughtExceptionHandler();
		try {
			hiveMq.start().get(60, TimeUnit.SECONDS);
		}
		finally {
			Thread.setDefaultUncaughtExceptionHandler(handler);
		}
		return new BenchmarkBroker("tcp://127.0.0.1:" + port, hiveMq, directory, receiveMaximum,
				maxQueueSize);
	}

	private static String configXml(int port, @Nullable Integer receiveMaximum, int maxQueueSize) {
		String mqtt = "  <mqtt>\n";
		mqtt += "    <queued-messages><max-queue-size>" + maxQueueSize + "</max-queue-size></queued-messages>\n";
		if (receiveMaximum != null) {
			mqtt += "    <receive-maximum><server-receive-maximum>" + receiveMaximum
					+ "</server-receive-maximum></receive-maximum>\n";
		}
		mqtt += "  </mqtt>\n";
		return "<?xml version=\"1.0\"?>\n<hivemq>\n"
				+ "  <listeners><tcp-listener><port>" + port
				+ "</port><bind-address>127.0.0.1</bind-address></tcp-listener></listeners>\n"
				+ "  <persistence><mode>in-memory</mode></persistence>\n"
				+ "  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>\n" + mqtt
				+ "</hivemq>\n";
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket()) {
			socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 1);
			return socket.getLocalPort();
		}
	}

	String url() {
		return this.url;
	}

	/**
	 * Describe the broker and its limits.
	 * @param announcedReceiveMaximum the Receive Maximum the broker announced in CONNACK
	 * @return the description
	 */
	String describe(int announcedReceiveMaximum) {
		if (this.hiveMq == null) {
			return "external broker at " + this.url + " (its own configuration; server Receive Maximum announced "
					+ "in CONNACK: " + announcedReceiveMaximum + "; queue limits: as configured there)";
		}
		return "HiveMQ CE " + hiveMqVersion() + " embedded in this JVM at " + this.url
				+ ", in-memory persistence, server Receive Maximum " + announcedReceiveMaximum
				+ ((this.receiveMaximum != null) ? " (configured)" : " (HiveMQ default)")
				+ ", per-client queue "
				+ this.maxQueueSize + " messages (" + ((this.maxQueueSize == HIVEMQ_DEFAULT_MAX_QUEUED)
						? "HiveMQ default" : "configured; HiveMQ default " + HIVEMQ_DEFAULT_MAX_QUEUED)
				+ ", new messages discarded when full; counts a client's unacknowledged messages too)";
	}

	private static String hiveMqVersion() {
		String version = EmbeddedHiveMQ.class.getPackage().getImplementationVersion();
		return (version != null) ? version : "2025.5";
	}

	@Override
	public void close() {
		if (this.hiveMq != null) {
			try {
				this.hiveMq.stop().get(30, TimeUnit.SECONDS);
				this.hiveMq.close();
			}
			catch (Exception ex) {
				System.err.println("HiveMQ did not stop cleanly: " + ex);
			}
		}
		if (this.directory != null) {
			try {
				FileSystemUtils.deleteRecursively(this.directory);
			}
			catch (IOException ex) {
				// best effort
			}
		}
	}

}
