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
package io.mqttboot.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import io.mqttboot.autoconfigure.health.MqttHealthContributorAutoConfiguration;
import io.mqttboot.test.MosquittoBroker;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.mqtt.core.ClientManager;

import static org.awaitility.Awaitility.await;

/**
 * What the end-to-end connection tests share: an application context runner with the
 * auto-configurations a user gets (connection, SSL bundles, health) and short
 * back-offs, the health of the {@code mqtt} contributor, and an {@link Inbox} that
 * receives the messages of subscriptions made with the raw client.
 *
 * @author mqttboot
 */
final class ConnectionTestSupport {

	/** Deadline of every wait on the connection state or on a message. */
	static final Duration WAIT = Duration.ofSeconds(15);

	private ConnectionTestSupport() {
	}

	/**
	 * Return a runner for the given protocol version, with reconnect delays of 100 ms to
	 * 1 s and a connect timeout of 5 s.
	 * @param protocolVersion the value of {@code mqtt.protocol-version}
	 * @return the runner
	 */
	static ApplicationContextRunner contextRunner(String protocolVersion) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(MqttAutoConfiguration.class, SslAutoConfiguration.class,
					MqttHealthContributorAutoConfiguration.class))
			.withPropertyValues("mqtt.protocol-version=" + protocolVersion, "mqtt.reconnect.min-delay=100ms",
					"mqtt.reconnect.max-delay=1s", "mqtt.connect-timeout=5s");
	}

	/**
	 * Return a client id that is unique in the JVM and valid for every protocol version.
	 * @param prefix a short prefix naming the test
	 * @return the client id, at most 23 bytes
	 */
	static String clientId(String prefix) {
		String id = prefix + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
		return (id.length() <= 23) ? id : id.substring(id.length() - 23);
	}

	static Health health(ApplicationContext context) {
		return context.getBean("mqttHealthContributor", HealthIndicator.class).health();
	}

	static ClientManager<?, ?> clientManager(ApplicationContext context) {
		return context.getBean(ClientManager.class);
	}

	/**
	 * Publish at QoS 1 with the raw Paho client bean of the application, whatever its
	 * protocol version, and wait for the PUBACK.
	 * @param context the application context
	 * @param topic the topic
	 * @param payload the payload
	 * @throws Exception if publishing fails
	 */
	static void publish(ApplicationContext context, String topic, String payload) throws Exception {
		byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
		if (context.getBeanNamesForType(org.eclipse.paho.mqttv5.client.IMqttAsyncClient.class).length > 0) {
			context.getBean(org.eclipse.paho.mqttv5.client.IMqttAsyncClient.class)
				.publish(topic, bytes, 1, false)
				.waitForCompletion(WAIT.toMillis());
		}
		else {
			context.getBean(org.eclipse.paho.client.mqttv3.IMqttAsyncClient.class)
				.publish(topic, bytes, 1, false)
				.waitForCompletion(WAIT.toMillis());
		}
	}

	/**
	 * Wait until the health is UP and the client manager says connected.
	 * @param context the application context
	 * @return the health
	 */
	static Health awaitUp(ApplicationContext context) {
		await("MQTT health UP").atMost(WAIT)
			.until(() -> health(context).getStatus().equals(Status.UP) && clientManager(context).isConnected());
		return health(context);
	}

	/**
	 * Wait until the health is DOWN.
	 * @param context the application context
	 * @return the health
	 */
	static Health awaitDown(ApplicationContext context) {
		await("MQTT health DOWN").atMost(WAIT).until(() -> health(context).getStatus().equals(Status.DOWN));
		return health(context);
	}

	/**
	 * Wait until at least one connection attempt has failed, so that the health carries
	 * its reason, and return the health.
	 * @param context the application context
	 * @return the health, DOWN
	 */
	static Health awaitFailedAttempt(ApplicationContext context) {
		await("a failed connection attempt").atMost(WAIT).until(() -> {
			Health health = health(context);
			Object reason = health.getDetails().get("lastDisconnectReason");
			return health.getStatus().equals(Status.DOWN) && reason != null && !"not connected yet".equals(reason);
		});
		return health(context);
	}

	static String reason(Health health) {
		return String.valueOf(health.getDetails().get("lastDisconnectReason"));
	}

	/**
	 * Return the live threads of Paho ("MQTT ..." with the client id) and of the
	 * connection supervisor ("mqtt-connect").
	 * @param clientId the client id of the application
	 * @return the threads
	 */
	static Set<Thread> clientThreads(String clientId) {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter(Thread::isAlive)
			.filter((thread) -> (thread.getName().startsWith("MQTT") && thread.getName().contains(clientId))
					|| thread.getName().startsWith("mqtt-connect"))
			.collect(Collectors.toSet());
	}

	static List<String> names(Set<Thread> threads) {
		return threads.stream().map(Thread::getName).sorted().toList();
	}

	/**
	 * Return a Mosquitto builder that also logs at debug level (every packet, e.g.
	 * "Received PINGREQ from id") to the given file: unlike the broker's standard output,
	 * which is block-buffered while it runs, a log file is written line by line.
	 * @param log the log file
	 * @return the builder
	 */
	static MosquittoBroker.Builder mosquittoLoggingTo(Path log) {
		return MosquittoBroker.builder().config("log_dest file " + log, "log_type debug");
	}

	/**
	 * Create an empty file for a Mosquitto log.
	 * @return the file
	 */
	static Path newLogFile() {
		try {
			Path log = Files.createTempFile("mqttboot-mosquitto-", ".log");
			log.toFile().deleteOnExit();
			return log;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static String read(Path log) {
		try {
			return Files.readString(log, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Count the lines of a log that contain the given text.
	 * @param log the log file
	 * @param text the text
	 * @return the number of lines
	 */
	static long countLines(Path log, String text) {
		return read(log).lines().filter((line) -> line.contains(text)).count();
	}

	/**
	 * Registers an {@link Inbox} on the client manager before the connection starts,
	 * as a user's {@code DefaultMessageHandler} would be.
	 */
	@Configuration(proxyBeanMethods = false)
	static class InboxConfiguration {

		@Bean
		Inbox inbox(ClientManager<?, ?> clientManager) {
			Inbox inbox = new Inbox();
			clientManager.addDefaultMessageHandler(inbox);
			clientManager.addCallback(inbox);
			return inbox;
		}

	}

	/**
	 * Collects the messages the client manager did not route elsewhere, and counts
	 * connects reported to Spring Integration's connect callbacks.
	 */
	static final class Inbox implements ClientManager.DefaultMessageHandler<Object>, ClientManager.ConnectCallback {

		private final List<Object> messages = new ArrayList<>();

		private final AtomicInteger reconnects = new AtomicInteger();

		@Override
		public void messageArrived(String topic, Object message) {
			synchronized (this.messages) {
				this.messages.add(message);
			}
		}

		@Override
		public void connectComplete(boolean isReconnect) {
			if (isReconnect) {
				this.reconnects.incrementAndGet();
			}
		}

		int reconnects() {
			return this.reconnects.get();
		}

		List<Object> messages() {
			synchronized (this.messages) {
				return List.copyOf(this.messages);
			}
		}

		List<String> payloads() {
			return messages().stream().map(Inbox::payload).toList();
		}

		static String payload(Object message) {
			byte[] payload = (message instanceof org.eclipse.paho.mqttv5.common.MqttMessage v5) ? v5.getPayload()
					: ((org.eclipse.paho.client.mqttv3.MqttMessage) message).getPayload();
			return new String(payload, StandardCharsets.UTF_8);
		}

	}

}
