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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.hivemq.embedded.EmbeddedHiveMQ;
import io.mqttboot.autoconfigure.MqttAutoConfiguration;
import io.mqttboot.autoconfigure.MqttConnectionDetails;
import io.mqttboot.test.MqttTestClient;
import org.eclipse.paho.mqttv5.client.IMqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggerConfiguration;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;
import org.springframework.integration.mqtt.core.ClientManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link EmbeddedMqttBrokerAutoConfiguration}: a real in-process HiveMQ CE broker
 * and real connections to it.
 *
 * @author mqttboot
 */
class EmbeddedMqttBrokerAutoConfigurationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(EmbeddedMqttBrokerAutoConfiguration.class, MqttAutoConfiguration.class))
		.withPropertyValues("mqtt.reconnect.min-delay=100ms", "mqtt.connect-timeout=5s");

	@Test
	void startsBrokerOnFreePortConnectsToItAndStopsItOnClose() {
		Thread.UncaughtExceptionHandler uncaughtExceptionHandler = Thread.getDefaultUncaughtExceptionHandler();
		AtomicInteger port = new AtomicInteger();
		AtomicReference<Path> directory = new AtomicReference<>();
		this.contextRunner
			.withPropertyValues("mqtt.embedded.enabled=true", "mqtt.embedded.port=0", "mqtt.username=user",
					"mqtt.password=secret")
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(EmbeddedMqttBroker.class);
				EmbeddedMqttBroker broker = context.getBean(EmbeddedMqttBroker.class);
				port.set(broker.getPort());
				directory.set(broker.getDirectory());
				assertThat(broker.getPort()).isPositive().isNotEqualTo(1883);
				assertThat(broker.getUrl()).isEqualTo("mqtt://127.0.0.1:" + broker.getPort());
				assertThat(context.getEnvironment().getProperty("mqtt.url")).isEqualTo(broker.getUrl());
				assertThat(context.getEnvironment().getProperty("local.mqtt.port", Integer.class))
					.isEqualTo(broker.getPort());
				assertThat(isFree(port.get())).isFalse();
				assertThat(directory.get().resolve("conf/config.xml")).content()
					.contains("<bind-address>127.0.0.1</bind-address>")
					.contains("<mode>in-memory</mode>");
				assertThat(Thread.getDefaultUncaughtExceptionHandler()).isSameAs(uncaughtExceptionHandler);
				MqttConnectionDetails details = context.getBean(MqttConnectionDetails.class);
				assertThat(details).isInstanceOf(EmbeddedMqttConnectionDetails.class);
				assertThat(details.getUrls()).containsExactly(broker.getUrl());
				assertThat(details.getUsername()).isEqualTo("user");
				assertThat(details.getPassword()).isEqualTo("secret");
				assertThat(details.getSslBundle()).isNull();
				ClientManager<?, ?> clientManager = context.getBean(ClientManager.class);
				await().atMost(WAIT).until(clientManager::isConnected);
				String url = "tcp://127.0.0.1:" + broker.getPort();
				try (MqttTestClient subscriber = MqttTestClient.connect(url);
						MqttTestClient publisher = MqttTestClient.connect(url)) {
					subscriber.subscribe("embedded/#", 1);
					publisher.publish("embedded/raw", "from-raw", 1, false);
					assertThat(subscriber.awaitMessage("embedded/raw", WAIT).payloadAsString()).isEqualTo("from-raw");
					IMqttAsyncClient client = context.getBean(IMqttAsyncClient.class);
					client.publish("embedded/app", new MqttMessage("from-app".getBytes(StandardCharsets.UTF_8), 1,
							false, null))
						.waitForCompletion(WAIT.toMillis());
					assertThat(subscriber.awaitMessage("embedded/app", WAIT).payloadAsString()).isEqualTo("from-app");
				}
			});
		assertThat(isFree(port.get())).as("port %s free after close", port.get()).isTrue();
		// the rest of the broker's stop goes on in the background
		await("folder deleted").atMost(WAIT).until(() -> !Files.exists(directory.get()));
	}

	@Test
	void fixedPortIsUsedAndUserConnectionDetailsWin() throws IOException {
		int port;
		try (ServerSocket socket = loopbackSocket(0)) {
			port = socket.getLocalPort();
		}
		this.contextRunner
			.withPropertyValues("mqtt.embedded.enabled=true", "mqtt.embedded.port=" + port, "mqtt.url=mqtt://other:1883")
			.withUserConfiguration(UserConnectionDetailsConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(EmbeddedMqttBroker.class).hasSingleBean(MqttConnectionDetails.class);
				assertThat(context.getBean(EmbeddedMqttBroker.class).getPort()).isEqualTo(port);
				assertThat(isFree(port)).isFalse();
				assertThat(context.getBean(MqttConnectionDetails.class).getUrls())
					.containsExactly("mqtt://127.0.0.1:1");
				assertThat(context.getEnvironment().getProperty("local.mqtt.port", Integer.class)).isEqualTo(port);
				assertThat(context.getEnvironment().getProperty("mqtt.url")).isEqualTo("mqtt://other:1883");
			});
	}

	@Test
	void portInUseFailsStartupNamingThePropertyAndTheFix() throws IOException {
		try (ServerSocket occupied = loopbackSocket(0)) {
			int port = occupied.getLocalPort();
			this.contextRunner.withPropertyValues("mqtt.embedded.enabled=true", "mqtt.embedded.port=" + port)
				.run((context) -> {
					assertThat(context).hasFailed();
					assertThat(context.getStartupFailure()).rootCause()
						.isInstanceOf(InvalidConfigurationPropertyValueException.class)
						.hasMessageContaining("mqtt.embedded.port");
					FailureAnalysis analysis = analyze(context.getStartupFailure());
					assertThat(analysis.getDescription())
						.contains("Invalid value '" + port + "' for configuration property 'mqtt.embedded.port'")
						.contains("Port " + port + " on 127.0.0.1 is already in use")
						.contains("Set mqtt.embedded.port to a free port or to 0")
						.contains("set mqtt.embedded.enabled=false and mqtt.url to that broker");
				});
		}
	}

	@Test
	void invalidPortFailsStartup() {
		this.contextRunner.withPropertyValues("mqtt.embedded.enabled=true", "mqtt.embedded.port=70000")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("mqtt.embedded.port")
				.hasMessageContaining("Use a port from 1 to 65535, or 0"));
	}

	@Test
	void quietsBrokerLoggingUnlessConfigured() throws IOException {
		LoggingSystem loggingSystem = LoggingSystem.get(getClass().getClassLoader());
		// the level is set before the broker starts: a taken port spares starting one
		try (ServerSocket occupied = loopbackSocket(0)) {
			ApplicationContextRunner contextRunner = this.contextRunner
				.withPropertyValues("mqtt.embedded.enabled=true", "mqtt.embedded.port=" + occupied.getLocalPort())
				.withBean(LoggingSystem.class, () -> loggingSystem);
			loggingSystem.setLogLevel("com.hivemq", null);
			contextRunner.run((context) -> assertThat(configuredLevel(loggingSystem)).isEqualTo(LogLevel.WARN));
			loggingSystem.setLogLevel("com.hivemq", LogLevel.ERROR);
			contextRunner.run((context) -> assertThat(configuredLevel(loggingSystem)).isEqualTo(LogLevel.ERROR));
		}
		finally {
			loggingSystem.setLogLevel("com.hivemq", LogLevel.WARN);
		}
	}

	@Test
	void backsOffByDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(EmbeddedMqttBroker.class);
			assertThat(context.getBean(MqttConnectionDetails.class))
				.isNotInstanceOf(EmbeddedMqttConnectionDetails.class);
		});
	}

	@Test
	void backsOffWhenDisabled() {
		this.contextRunner.withPropertyValues("mqtt.embedded.enabled=false", "mqtt.embedded.port=0")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(EmbeddedMqttBroker.class));
	}

	@Test
	void backsOffWhenMqttIsDisabled() {
		this.contextRunner.withPropertyValues("mqtt.enabled=false", "mqtt.embedded.enabled=true", "mqtt.embedded.port=0")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(EmbeddedMqttBroker.class));
	}

	@Test
	void failsStartupNamingTheDependencyWhenEnabledWithoutHiveMq() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(EmbeddedHiveMQ.class))
			.withPropertyValues("mqtt.embedded.enabled=true", "mqtt.embedded.port=0")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("mqtt.embedded.enabled");
				assertThat(analysis.getAction()).contains("com.hivemq:hivemq-community-edition-embedded");
			});
	}

	@Test
	void withoutHiveMqAndNotEnabledUsesTheConfiguredBroker() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(EmbeddedHiveMQ.class))
			.withPropertyValues("mqtt.url=mqtt://127.0.0.1:1")
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(EmbeddedMqttBroker.class);
				assertThat(context.getBean(MqttConnectionDetails.class))
					.isNotInstanceOf(EmbeddedMqttConnectionDetails.class);
			});
	}

	private static FailureAnalysis analyze(Throwable failure) {
		ArgumentResolver arguments = ArgumentResolver.of(BeanFactory.class, new DefaultListableBeanFactory())
			.and(Environment.class, new StandardEnvironment());
		List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation()
			.load(FailureAnalyzer.class, arguments, FailureHandler.handleMessage((message, ex) -> {
				// analyzers that need more than a bean factory and an environment
			}));
		return analyzers.stream()
			.map((analyzer) -> analyzer.analyze(failure))
			.filter(Objects::nonNull)
			.findFirst()
			.orElseThrow(() -> new AssertionError("No failure analysis for " + failure));
	}

	private static @Nullable LogLevel configuredLevel(LoggingSystem loggingSystem) {
		LoggerConfiguration configuration = loggingSystem.getLoggerConfiguration("com.hivemq");
		return (configuration != null) ? configuration.getConfiguredLevel() : null;
	}

	private static ServerSocket loopbackSocket(int port) throws IOException {
		ServerSocket socket = new ServerSocket();
		socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
		return socket;
	}

	private static boolean isFree(int port) {
		try (ServerSocket socket = loopbackSocket(port)) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class UserConnectionDetailsConfiguration {

		@Bean
		MqttConnectionDetails userMqttConnectionDetails() {
			return () -> List.of("mqtt://127.0.0.1:1");
		}

	}

}
