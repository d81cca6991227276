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
package io.mqttboot.listener;

import java.io.IOException;
import java.net.ServerSocket;

import io.mqttboot.autoconfigure.MqttAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.mqtt.core.ClientManager;
import org.springframework.messaging.handler.annotation.SendTo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link MqttListenerAnnotationBeanPostProcessor}: discovery, ids,
 * placeholders and the startup failures of invalid listeners. No broker: the client
 * never connects.
 *
 * @author mqttboot
 */
@ExtendWith(OutputCaptureExtension.class)
class MqttListenerAnnotationBeanPostProcessorTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MqttAutoConfiguration.class))
		.withPropertyValues("mqtt.url=mqtt://127.0.0.1:" + freePort(), "app.topic=from/placeholder");

	@Test
	void listenersAreRegisteredWithDefaultIds() {
		this.contextRunner.withBean("sensorBean", DefaultIdListener.class).run((context) -> {
			MqttListenerEndpointRegistry registry = context.getBean(MqttListenerEndpointRegistry.class);
			assertThat(registry.getListenerIds()).containsExactlyInAnyOrder("sensorBean.on", "sensorBean.on#1",
					"sensorBean.other");
			assertThat(registry.isRunning("sensorBean.on")).isTrue();
			assertThat(registry.isSubscribed("sensorBean.on")).isFalse();
		});
	}

	@Test
	void placeholdersAreResolved() {
		this.contextRunner.withPropertyValues("app.id=resolved-id", "app.start=false")
			.withUserConfiguration(PlaceholderListener.class)
			.run((context) -> {
				MqttListenerEndpointRegistry registry = context.getBean(MqttListenerEndpointRegistry.class);
				assertThat(registry.getListenerIds()).containsExactly("resolved-id");
				assertThat(registry.isRunning("resolved-id")).isFalse();
			});
	}

	@Test
	void listenersTurnOnManualAcknowledgement() {
		this.contextRunner.withUserConfiguration(PlaceholderListener.class)
			.withPropertyValues("app.id=x", "app.start=true")
			.run((context) -> assertThat(context.getBean(ClientManager.class).isManualAcks()).isTrue());
	}

	@Test
	void withoutListenersAcknowledgementStaysAutomatic() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(MqttListenerEndpointRegistry.class);
			assertThat(context.getBean(ClientManager.class).isManualAcks()).isFalse();
		});
	}

	@Test
	void qos2IsSubscribedWithQos1(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(Qos2Listener.class)
			.run((context) -> assertThat(output).contains("MQTT listener 'exactlyOnce' asks for QoS 2 and is "
					+ "subscribed with QoS 1"));
	}

	@Test
	void unknownIdIsReported() {
		this.contextRunner.withUserConfiguration(PlaceholderListener.class)
			.withPropertyValues("app.id=known", "app.start=true")
			.run((context) -> {
				MqttListenerEndpointRegistry registry = context.getBean(MqttListenerEndpointRegistry.class);
				assertThatIllegalArgumentException()
					.isThrownBy(() -> registry.stop("unknown"))
					.withMessage("No MQTT listener with id 'unknown'; the ids are [known]");
			});
	}

	@Test
	void invalidQos() {
		assertFailure(BadQosListener.class, "qos must be 0, 1 or 2, not 3");
	}

	@Test
	void invalidRetainHandling() {
		assertFailure(BadRetainHandlingListener.class, "retainHandling must be 0, 1 or 2, not 3");
	}

	@Test
	void invalidAutoStartup() {
		assertFailure(BadAutoStartupListener.class, "autoStartup must be 'true' or 'false', not 'maybe'");
	}

	@Test
	void concurrencyPlaceholderIsResolvedAndGivesAsManyLanes() {
		this.contextRunner.withUserConfiguration(ConcurrentListener.class)
			.withPropertyValues("app.concurrency=3")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				MqttListenerEndpointRegistry registry = context.getBean(MqttListenerEndpointRegistry.class);
				assertThat(registry.container("concurrent").getConcurrency()).isEqualTo(3);
				assertThat(registry.container("serial").getConcurrency()).isOne();
			});
	}

	@Test
	void concurrencyThatIsNoNumberFailsStartupNamingMethodAndValue() {
		this.contextRunner.withUserConfiguration(ConcurrentListener.class)
			.withPropertyValues("app.concurrency=many")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).hasStackTraceContaining("@MqttListener on "
						+ ConcurrentListener.class.getName() + ".concurrent: concurrency must be a positive integer, "
						+ "not 'many'");
			});
	}

	@Test
	void concurrencyOfZeroFailsStartup() {
		assertFailure(ZeroConcurrencyListener.class, "concurrency must be a positive integer, not '0'");
	}

	@Test
	void topicVariableMustBeInEveryFilter() {
		assertFailure(BadTopicVariableListener.class,
				"@TopicVariable(\"device\") is not a {device} level of the topic filter 'b/+'");
	}

	@Test
	void noLocalOnSharedSubscription() {
		assertFailure(NoLocalSharedListener.class, "noLocal is not allowed on the shared subscription '$share/g/a'");
	}

	@Test
	void sendToWithWildcard() {
		assertFailure(BadSendToListener.class, "the @SendTo topic 'replies/#' must not contain wildcards");
	}

	@Test
	void unknownErrorHandler() {
		assertFailure(UnknownErrorHandlerListener.class,
				"names the error handler 'missing', but there is no MqttListenerErrorHandler bean of that name");
	}

	@Test
	void duplicateIds() {
		assertFailure(DuplicateIdListener.class, "Two @MqttListener methods have the id 'same'");
	}

	@Test
	void conflictingSubscriptionOptions() {
		assertFailure(ConflictingOptionsListener.class,
				"one connection has one subscription per filter, so these options must agree");
	}

	@Test
	void filtersThatSubscribeTheSameShareOneSubscription() {
		this.contextRunner.withUserConfiguration(SameSubscriptionListener.class)
			.run((context) -> assertThat(context.getBean(MqttListenerEndpointRegistry.class).getListenerIds())
				.containsExactly("same-subscription"));
	}

	@Test
	void errorHandlerBeanThatIsNoDefaultCandidateDoesNotReplaceTheDefault() {
		this.contextRunner.withUserConfiguration(ErrorHandlerConfiguration.class)
			.run((context) -> assertThat(context.getBean(MqttListenerEndpointRegistry.DEFAULT_ERROR_HANDLER_BEAN_NAME))
				.isInstanceOf(LoggingMqttListenerErrorHandler.class));
	}

	private void assertFailure(Class<?> listener, String message) {
		this.contextRunner.withUserConfiguration(listener).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining(message);
		});
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static class DefaultIdListener {

		@MqttListener(topics = "a/b")
		@MqttListener(topics = "a/c")
		void on(String payload) {
		}

		@MqttListener(topics = "a/d")
		void other(String payload) {
		}

	}

	static class PlaceholderListener {

		@MqttListener(id = "${app.id}", topics = "${app.topic}/{x}", autoStartup = "${app.start}", group = "${app.group:}")
		void on(String payload, @TopicVariable("x") String x) {
		}

	}

	static class Qos2Listener {

		@MqttListener(id = "exactlyOnce", topics = "a", qos = 2)
		void on(String payload) {
		}

	}

	static class BadQosListener {

		@MqttListener(topics = "a", qos = 3)
		void on(String payload) {
		}

	}

	static class BadRetainHandlingListener {

		@MqttListener(topics = "a", retainHandling = 3)
		void on(String payload) {
		}

	}

	static class ConcurrentListener {

		@MqttListener(id = "concurrent", topics = "a/+", concurrency = "${app.concurrency}")
		void concurrent(String payload) {
		}

		@MqttListener(id = "serial", topics = "b/+")
		void serial(String payload) {
		}

	}

	static class ZeroConcurrencyListener {

		@MqttListener(topics = "a", concurrency = "0")
		void on(String payload) {
		}

	}

	static class BadAutoStartupListener {

		@MqttListener(topics = "a", autoStartup = "maybe")
		void on(String payload) {
		}

	}

	static class BadTopicVariableListener {

		@MqttListener(topics = { "a/{device}", "b/+" })
		void on(String payload, @TopicVariable("device") String device) {
		}

	}

	static class NoLocalSharedListener {

		@MqttListener(topics = "a", group = "g", noLocal = true)
		void on(String payload) {
		}

	}

	static class BadSendToListener {

		@MqttListener(topics = "a")
		@SendTo("replies/#")
		String on(String payload) {
			return payload;
		}

	}

	static class UnknownErrorHandlerListener {

		@MqttListener(topics = "a", errorHandler = "missing")
		void on(String payload) {
		}

	}

	static class DuplicateIdListener {

		@MqttListener(id = "same", topics = "a")
		void on(String payload) {
		}

		@MqttListener(id = "same", topics = "b")
		void other(String payload) {
		}

	}

	static class ConflictingOptionsListener {

		@MqttListener(id = "one", topics = "a", retainAsPublished = true)
		void on(String payload) {
		}

		@MqttListener(id = "two", topics = "a")
		void other(String payload) {
		}

	}

	static class SameSubscriptionListener {

		@MqttListener(id = "same-subscription", topics = { "a/{x}", "a/{x}", "$share/g/b", "b" })
		void on(String payload) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ErrorHandlerConfiguration {

		@Bean(defaultCandidate = false)
		MqttListenerErrorHandler specialErrorHandler() {
			return (message, exception) -> {
			};
		}

	}

}
