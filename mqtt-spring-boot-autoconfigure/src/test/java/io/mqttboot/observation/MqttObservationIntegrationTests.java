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
package io.mqttboot.observation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.mqttboot.autoconfigure.MqttAutoConfiguration;
import io.mqttboot.core.MqttPublishException;
import io.mqttboot.core.MqttTemplate;
import io.mqttboot.listener.MqttListener;
import io.mqttboot.listener.MqttListenerEndpointRegistry;
import io.mqttboot.test.HiveMqBroker;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.mqtt.core.ClientManager;
import org.springframework.integration.mqtt.support.MqttHeaders;
import org.springframework.messaging.handler.annotation.Header;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The {@code mqtt.publish} and {@code mqtt.listener} observations against embedded
 * HiveMQ, checked with Micrometer's {@link TestObservationRegistry}.
 *
 * @author mqttboot
 */
class MqttObservationIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private static final HiveMqBroker broker = HiveMqBroker.shared();

	private final String prefix = "it/observation/" + UUID.randomUUID().toString().substring(0, 8);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, MqttAutoConfiguration.class))
		.withBean(TestObservationRegistry.class, TestObservationRegistry::create)
		.withPropertyValues("mqtt.url=" + broker.mqttUrl(), "mqtt.reconnect.min-delay=100ms",
				"mqtt.reconnect.max-delay=1s", "test.prefix=" + this.prefix);

	@Test
	void sendIsObservedFromTheCallToTheAcknowledgementWithConnectionAndQos() {
		this.contextRunner.run((context) -> {
			awaitReady(context);
			TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
			MqttTemplate template = context.getBean(MqttTemplate.class);
			template.send(this.prefix + "/plain/7", "hello", 1, false).get(WAIT.toSeconds(), TimeUnit.SECONDS);
			template.send(this.prefix + "/plain/8", "hello", 2, false).get(WAIT.toSeconds(), TimeUnit.SECONDS);
			assertThat(registry).hasNumberOfObservationsWithNameEqualTo("mqtt.publish", 2)
				.hasObservationWithNameEqualTo("mqtt.publish")
				.that()
				.hasBeenStarted()
				.hasBeenStopped()
				.hasContextualNameEqualTo("mqtt publish")
				.hasLowCardinalityKeyValue("connection", "default")
				.hasLowCardinalityKeyValue("qos", "1")
				.doesNotHaveLowCardinalityKeyValueWithKey("error")
				.doesNotHaveLowCardinalityKeyValueWithKey("topic")
				.hasHighCardinalityKeyValue("topic", this.prefix + "/plain/7")
				.doesNotHaveError();
			assertThat(registry).hasAnObservation((observation) -> observation
				.hasLowCardinalityKeyValue("qos", "2")
				.hasHighCardinalityKeyValue("topic", this.prefix + "/plain/8"));
		});
	}

	@Test
	void failingSendIsObservedWithTheErrorOnItsConnection() {
		this.contextRunner
			.withPropertyValues("mqtt.connections.down.url=tcp://127.0.0.1:" + closedPort(),
					"mqtt.connections.down.template.buffer.max-messages=0")
			.run((context) -> {
				TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
				MqttTemplate down = context.getBean("downMqttTemplate", MqttTemplate.class);
				assertThatExceptionOfType(ExecutionException.class)
					.isThrownBy(() -> down.send(this.prefix + "/lost", "x", 0, false).get())
					.withCauseInstanceOf(MqttPublishException.class);
				assertThat(registry).hasSingleObservationThat()
					.hasNameEqualTo("mqtt.publish")
					.hasBeenStopped()
					.hasLowCardinalityKeyValue("connection", "down")
					.hasLowCardinalityKeyValue("qos", "0")
					.assertThatError()
					.isInstanceOf(MqttPublishException.class);
			});
	}

	@Test
	void listenerInvocationsAreObservedWithTheirIdAndTheErrorOfAFailingOne() {
		this.contextRunner.withUserConfiguration(Listeners.class).run((context) -> {
			awaitReady(context);
			TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
			MqttTemplate template = context.getBean(MqttTemplate.class);
			template.send(this.prefix + "/ok/kitchen", "21.5").get(WAIT.toSeconds(), TimeUnit.SECONDS);
			template.send(this.prefix + "/fail/hall", "boom").get(WAIT.toSeconds(), TimeUnit.SECONDS);
			await().atMost(WAIT).untilAsserted(() -> assertThat(registry)
				.hasNumberOfObservationsWithNameEqualTo("mqtt.listener", 2));
			await().atMost(WAIT).untilAsserted(() -> assertThat(registry).hasAnObservation((observation) -> observation
				.hasNameEqualTo("mqtt.listener")
				.hasContextualNameEqualTo("ok receive")
				.hasLowCardinalityKeyValue("connection", "default")
				.hasLowCardinalityKeyValue("listener.id", "ok")
				.doesNotHaveLowCardinalityKeyValueWithKey("error")
				.doesNotHaveLowCardinalityKeyValueWithKey("topic")
				.hasHighCardinalityKeyValue("topic", this.prefix + "/ok/kitchen")));
			await().atMost(WAIT).untilAsserted(() -> assertThat(registry).hasAnObservation((observation) -> observation
				.hasNameEqualTo("mqtt.listener")
				.hasLowCardinalityKeyValue("listener.id", "fail")
				.doesNotHaveLowCardinalityKeyValueWithKey("error")
				.hasHighCardinalityKeyValue("topic", this.prefix + "/fail/hall")
				.hasError()));
		});
	}

	@Test
	void aRequestItsListenerInvocationAndTheReplyAreObservedTheReplyInsideTheListener() {
		this.contextRunner.withUserConfiguration(Responder.class).run((context) -> {
			awaitReady(context);
			TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
			List<Observation.Context> stopped = new CopyOnWriteArrayList<>();
			registry.observationConfig().observationHandler(new ObservationHandler<>() {

				@Override
				public boolean supportsContext(Observation.Context observed) {
					return true;
				}

				@Override
				public void onStop(Observation.Context observed) {
					stopped.add(observed);
				}

			});
			MqttTemplate template = context.getBean(MqttTemplate.class);
			assertThat(template.sendAndReceive(this.prefix + "/rr/ping", "hi", String.class, WAIT)
				.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("pong:hi");
			await().atMost(WAIT).untilAsserted(() -> assertThat(registry)
				.hasNumberOfObservationsWithNameEqualTo("mqtt.publish", 2)
				.hasNumberOfObservationsWithNameEqualTo("mqtt.listener", 1));
			Observation.Context request = stopped.stream()
				.filter((observed) -> isPublishTo(observed, this.prefix + "/rr/ping"))
				.findFirst()
				.orElseThrow();
			assertThat(request.getParentObservation()).isNull();
			Observation.Context reply = stopped.stream()
				.filter((observed) -> isPublishTo(observed, template.getResponseTopic()))
				.findFirst()
				.orElseThrow();
			assertThat(reply.getParentObservation()).isNotNull();
			assertThat(reply.getParentObservation().getContextView().getName()).isEqualTo("mqtt.listener");
		});
	}

	@Test
	void timersHaveTheTagsOfTheContractAndNeverTheTopic() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, MqttAutoConfiguration.class))
			.withUserConfiguration(Listeners.class)
			.withBean(SimpleMeterRegistry.class, SimpleMeterRegistry::new)
			.withBean(ObservationRegistry.class, () -> ObservationRegistry.create())
			.withInitializer((context) -> context.getBeanFactory()
				.addBeanPostProcessor(new MeterHandlerPostProcessor(context.getBeanFactory())))
			.withPropertyValues("mqtt.url=" + broker.mqttUrl(), "mqtt.connections.down.url=tcp://127.0.0.1:"
					+ closedPort(), "mqtt.connections.down.template.buffer.max-messages=0",
					"test.prefix=" + this.prefix)
			.run((context) -> {
				awaitReady(context);
				SimpleMeterRegistry meters = context.getBean(SimpleMeterRegistry.class);
				context.getBean(MqttTemplate.class)
					.send(this.prefix + "/ok/kitchen", "21.5", 1, false)
					.get(WAIT.toSeconds(), TimeUnit.SECONDS);
				context.getBean(MqttTemplate.class)
					.send(this.prefix + "/fail/hall", "boom", 1, false)
					.get(WAIT.toSeconds(), TimeUnit.SECONDS);
				assertThatExceptionOfType(ExecutionException.class).isThrownBy(
						() -> context.getBean("downMqttTemplate", MqttTemplate.class).send("lost", "x", 0, false).get());
				await().atMost(WAIT).untilAsserted(() -> {
					assertThat(meters.get("mqtt.listener")
						.tags("connection", "default", "listener.id", "ok", "error", "none")
						.timer()
						.count()).isOne();
					assertThat(meters.get("mqtt.listener")
						.tags("connection", "default", "listener.id", "fail", "error", "IllegalStateException")
						.timer()
						.count()).isOne();
				});
				assertThat(meters.get("mqtt.publish").tags("connection", "default", "qos", "1", "error", "none")
					.timer()
					.count()).isEqualTo(2);
				assertThat(meters.get("mqtt.publish")
					.tags("connection", "down", "qos", "0", "error", "MqttPublishException")
					.timer()
					.count()).isOne();
				assertThat(meters.getMeters()).flatExtracting((meter) -> meter.getId().getTags())
					.extracting(Tag::getKey)
					.doesNotContain("topic");
			});
	}

	@Test
	void conventionBeansReplaceTheDefaultOnes() {
		this.contextRunner.withUserConfiguration(Listeners.class, CustomConventions.class).run((context) -> {
			awaitReady(context);
			TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
			context.getBean(MqttTemplate.class)
				.send(this.prefix + "/ok/attic", "19")
				.get(WAIT.toSeconds(), TimeUnit.SECONDS);
			await().atMost(WAIT).untilAsserted(() -> assertThat(registry)
				.hasObservationWithNameEqualTo("mqtt.listener")
				.that()
				.hasBeenStopped()
				.hasLowCardinalityKeyValue("listener.id", "ok")
				.hasLowCardinalityKeyValue("site", "plant-1"));
			assertThat(registry).hasObservationWithNameEqualTo("mqtt.publish")
				.that()
				.hasLowCardinalityKeyValue("qos", "1")
				.hasLowCardinalityKeyValue("retained", "false");
		});
	}

	@Test
	void noObservationWhenSwitchedOff() {
		this.contextRunner.withUserConfiguration(Listeners.class)
			.withPropertyValues("mqtt.observations.enabled=false")
			.run((context) -> assertSendAndListenerWithoutObservation(context, this.prefix));
	}

	@Test
	void noObservationAndTheStarterStillWorksWithoutMicrometerObservation() {
		this.contextRunner.withUserConfiguration(Listeners.class)
			.withClassLoader(new FilteredClassLoader(ObservationRegistry.class))
			.run((context) -> assertSendAndListenerWithoutObservation(context, this.prefix));
	}

	private static void assertSendAndListenerWithoutObservation(ApplicationContext context, String prefix)
			throws Exception {
		awaitReady(context);
		TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
		context.getBean(MqttTemplate.class).send(prefix + "/ok/cellar", "12").get(WAIT.toSeconds(), TimeUnit.SECONDS);
		Listeners listeners = context.getBean(Listeners.class);
		await().atMost(WAIT).until(() -> listeners.received.contains(prefix + "/ok/cellar"));
		assertThat(registry).doesNotHaveAnyObservation();
	}

	private static void awaitReady(ApplicationContext context) {
		MqttListenerEndpointRegistry listeners = context.getBean(MqttListenerEndpointRegistry.class);
		await("connected and subscribed").atMost(WAIT)
			.until(() -> context.getBean(ClientManager.class).isConnected()
					&& listeners.getListenerIds().stream().allMatch(listeners::isSubscribed));
	}

	private static boolean isPublishTo(Observation.Context observed, String topic) {
		KeyValue key = observed.getHighCardinalityKeyValue("topic");
		return "mqtt.publish".equals(observed.getName()) && key != null && topic.equals(key.getValue());
	}

	private static int closedPort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Listeners {

		final Set<String> received = ConcurrentHashMap.newKeySet();

		@MqttListener(id = "ok", topics = "${test.prefix}/ok/+")
		void ok(@Header(MqttHeaders.RECEIVED_TOPIC) String topic) {
			this.received.add(topic);
		}

		@MqttListener(id = "fail", topics = "${test.prefix}/fail/+")
		void fail(String payload) {
			throw new IllegalStateException("Cannot handle " + payload);
		}

	}

	/**
	 * Gives the observation registry Micrometer's meter handler, as Spring Boot does.
	 */
	static final class MeterHandlerPostProcessor implements BeanPostProcessor {

		private final BeanFactory beanFactory;

		MeterHandlerPostProcessor(BeanFactory beanFactory) {
			this.beanFactory = beanFactory;
		}

		@Override
		public Object postProcessAfterInitialization(Object bean, String beanName) {
			if (bean instanceof ObservationRegistry registry) {
				registry.observationConfig()
					.observationHandler(
							new DefaultMeterObservationHandler(this.beanFactory.getBean(SimpleMeterRegistry.class)));
			}
			return bean;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Responder {

		@MqttListener(id = "responder", topics = "${test.prefix}/rr/+")
		String respond(String payload) {
			return "pong:" + payload;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomConventions {

		@Bean
		MqttPublishObservationConvention retainedConvention() {
			return new DefaultMqttPublishObservationConvention() {

				@Override
				public KeyValues getLowCardinalityKeyValues(MqttPublishObservationContext context) {
					return super.getLowCardinalityKeyValues(context)
						.and(KeyValue.of("retained", String.valueOf(context.isRetain())));
				}

			};
		}

		@Bean
		MqttListenerObservationConvention siteConvention() {
			return new DefaultMqttListenerObservationConvention() {

				@Override
				public KeyValues getLowCardinalityKeyValues(MqttListenerObservationContext context) {
					return super.getLowCardinalityKeyValues(context).and("site", "plant-1");
				}

			};
		}

	}

}
