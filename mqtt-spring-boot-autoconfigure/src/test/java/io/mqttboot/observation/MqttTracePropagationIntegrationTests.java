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

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.micrometer.tracing.BaggageInScope;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.exporter.FinishedSpan;
import io.micrometer.tracing.exporter.SpanReporter;
import io.mqttboot.autoconfigure.MqttAutoConfiguration;
import io.mqttboot.core.MqttTemplate;
import io.mqttboot.listener.MqttListener;
import io.mqttboot.listener.MqttListenerEndpointRegistry;
import io.mqttboot.test.HiveMqBroker;
import io.mqttboot.test.MqttTestClient;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.mqtt.core.ClientManager;
import org.springframework.messaging.handler.annotation.SendTo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Trace propagation through MQTT 5 user properties with Micrometer Tracing on Brave, as
 * Spring Boot auto-configures it, against embedded HiveMQ: one trace from a send,
 * through the broker, to the listener and on to its reply; nothing written on MQTT
 * 3.1.1.
 *
 * @author mqttboot
 */
class MqttTracePropagationIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private static final HiveMqBroker broker = HiveMqBroker.shared();

	private static MqttTestClient observer;

	private final String prefix = "it/trace/" + UUID.randomUUID().toString().substring(0, 8);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class,
				MicrometerTracingAutoConfiguration.class, BraveAutoConfiguration.class, JacksonAutoConfiguration.class,
				MqttAutoConfiguration.class))
		.withUserConfiguration(TracedListener.class, Spans.class)
		.withPropertyValues("mqtt.url=" + broker.mqttUrl(), "mqtt.reconnect.min-delay=100ms",
				"mqtt.reconnect.max-delay=1s", "management.tracing.sampling.probability=1.0",
				"management.tracing.baggage.remote-fields=tenant", "test.prefix=" + this.prefix);

	@BeforeAll
	static void connectObserver() {
		observer = MqttTestClient.connect(broker.tcpUrl());
	}

	@AfterAll
	static void closeObserver() {
		observer.close();
	}

	@Test
	void oneTraceFromTheSendThroughTheListenerToItsReply() {
		this.contextRunner.run((context) -> {
			awaitReady(context);
			observer.subscribe(this.prefix + "/#", 1);
			Tracer tracer = context.getBean(Tracer.class);
			Span parent = tracer.nextSpan().name("test").start();
			try (Tracer.SpanInScope scope = tracer.withSpan(parent);
					BaggageInScope tenant = tracer.createBaggageInScope("tenant", "acme")) {
				context.getBean(MqttTemplate.class)
					.send(this.prefix + "/in", "ping")
					.get(WAIT.toSeconds(), TimeUnit.SECONDS);
			}
			finally {
				parent.end();
			}
			String traceId = parent.context().traceId();
			Map<String, String> request = userProperties(observer.awaitMessage(this.prefix + "/in", WAIT));
			assertThat(request.get("traceparent")).startsWith("00-" + traceId + "-");
			assertThat(request).containsEntry("tenant", "acme");
			Invocation invocation = context.getBean(TracedListener.class).next();
			assertThat(invocation.traceId()).isEqualTo(traceId);
			assertThat(invocation.tenant()).isEqualTo("acme");
			Map<String, String> reply = userProperties(observer.awaitMessage(this.prefix + "/out", WAIT));
			assertThat(reply.get("traceparent")).startsWith("00-" + traceId + "-")
				.isNotEqualTo(request.get("traceparent"));
			Spans spans = context.getBean(Spans.class);
			await().atMost(WAIT).until(() -> spans.named("mqtt publish").size() == 2);
			FinishedSpan send = spans.childOf(parent.context().spanId());
			assertThat(send.getName()).isEqualTo("mqtt publish");
			assertThat(send.getKind()).isEqualTo(Span.Kind.PRODUCER);
			assertThat(send.getTags()).containsEntry("connection", "default")
				.containsEntry("qos", "1")
				.containsEntry("topic", this.prefix + "/in");
			assertThat(request.get("traceparent")).contains("-" + send.getSpanId() + "-");
			FinishedSpan receive = spans.childOf(send.getSpanId());
			assertThat(receive.getName()).isEqualTo("traced receive");
			assertThat(receive.getKind()).isEqualTo(Span.Kind.CONSUMER);
			assertThat(receive.getSpanId()).isEqualTo(invocation.spanId());
			assertThat(receive.getTags()).containsEntry("listener.id", "traced")
				.containsEntry("topic", this.prefix + "/in");
			FinishedSpan replySend = spans.childOf(receive.getSpanId());
			assertThat(replySend.getName()).isEqualTo("mqtt publish");
			assertThat(replySend.getTags()).containsEntry("topic", this.prefix + "/out");
			assertThat(reply.get("traceparent")).contains("-" + replySend.getSpanId() + "-");
			assertThat(List.of(send, receive, replySend)).extracting(FinishedSpan::getTraceId).containsOnly(traceId);
		});
	}

	@Test
	void nothingIsWrittenOnMqtt311() {
		this.contextRunner.withPropertyValues("mqtt.protocol-version=3.1.1").run((context) -> {
			awaitReady(context);
			observer.subscribe(this.prefix + "/#", 1);
			Tracer tracer = context.getBean(Tracer.class);
			Span parent = tracer.nextSpan().name("test").start();
			try (Tracer.SpanInScope scope = tracer.withSpan(parent)) {
				context.getBean(MqttTemplate.class)
					.send(this.prefix + "/in", "ping")
					.get(WAIT.toSeconds(), TimeUnit.SECONDS);
			}
			finally {
				parent.end();
			}
			assertThat(observer.awaitMessage(this.prefix + "/in", WAIT).properties().getUserProperties()).isEmpty();
			assertThat(observer.awaitMessage(this.prefix + "/out", WAIT).properties().getUserProperties()).isEmpty();
			// The send is still a span of the sender's trace; the listener starts its own
			Spans spans = context.getBean(Spans.class);
			await().atMost(WAIT).until(() -> spans.named("traced receive").size() == 1);
			assertThat(spans.childOf(parent.context().spanId()).getName()).isEqualTo("mqtt publish");
			Invocation invocation = context.getBean(TracedListener.class).next();
			assertThat(invocation.traceId()).isNotEqualTo(parent.context().traceId());
		});
	}

	private static Map<String, String> userProperties(MqttTestClient.Received received) {
		return received.properties()
			.getUserProperties()
			.stream()
			.collect(Collectors.toMap(UserProperty::getKey, UserProperty::getValue));
	}

	private static void awaitReady(ApplicationContext context) {
		MqttListenerEndpointRegistry listeners = context.getBean(MqttListenerEndpointRegistry.class);
		await("connected and subscribed").atMost(WAIT)
			.until(() -> context.getBean(ClientManager.class).isConnected()
					&& listeners.getListenerIds().stream().allMatch(listeners::isSubscribed));
	}

	record Invocation(String traceId, String spanId, @Nullable String tenant) {

	}

	@Configuration(proxyBeanMethods = false)
	static class TracedListener {

		private final BlockingQueue<Invocation> invocations = new LinkedBlockingQueue<>();

		private final Tracer tracer;

		TracedListener(Tracer tracer) {
			this.tracer = tracer;
		}

		@MqttListener(id = "traced", topics = "${test.prefix}/in")
		@SendTo("${test.prefix}/out")
		String handle(String payload) {
			Span span = this.tracer.currentSpan();
			assertThat(span).isNotNull();
			this.invocations.add(new Invocation(span.context().traceId(), span.context().spanId(),
					this.tracer.getBaggage("tenant").get()));
			return "pong";
		}

		Invocation next() throws InterruptedException {
			Invocation invocation = this.invocations.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
			assertThat(invocation).as("listener invocation").isNotNull();
			return invocation;
		}

	}

	/**
	 * Records the finished spans, as a span exporter would send them.
	 */
	@Configuration(proxyBeanMethods = false)
	static class Spans implements SpanReporter {

		private final List<FinishedSpan> finished = new CopyOnWriteArrayList<>();

		@Override
		public void report(FinishedSpan span) {
			this.finished.add(span);
		}

		List<FinishedSpan> named(String name) {
			return this.finished.stream().filter((span) -> name.equals(span.getName())).toList();
		}

		FinishedSpan childOf(String parentId) {
			return await().atMost(WAIT)
				.until(() -> this.finished.stream().filter((span) -> parentId.equals(span.getParentId())).findFirst(),
						Optional::isPresent)
				.get();
		}

	}

}
