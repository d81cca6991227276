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

import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import io.mqttboot.listener.ListenerTestSupport.Gate;
import io.mqttboot.listener.ListenerTestSupport.Recorder;
import io.mqttboot.test.HiveMqBroker;
import io.mqttboot.test.MqttTestClient;
import io.mqttboot.test.TcpProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.integration.mqtt.support.MqttHeaders;
import org.springframework.messaging.handler.annotation.Header;

import static io.mqttboot.listener.ListenerTestSupport.QUIET;
import static io.mqttboot.listener.ListenerTestSupport.WAIT;
import static io.mqttboot.listener.ListenerTestSupport.awaitSubscribed;
import static io.mqttboot.listener.ListenerTestSupport.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * {@link MqttListener#concurrency()} and the listener threads, against a real broker: a
 * listener with several lanes processes messages of different topics at once, those of
 * one topic in order, and every QoS 1 message is acknowledged once, on the wire (counted
 * through a TCP proxy), after the listener returned.
 *
 * @author mqttboot
 */
class ListenerConcurrencyIntegrationTests {

	private static final int TOPICS = 8;

	private static final int MESSAGES_PER_TOPIC = 10;

	private final String prefix = ListenerTestSupport.uniquePrefix("concurrency");

	private ApplicationContextRunner contextRunner(TcpProxy proxy) {
		return ListenerTestSupport.contextRunner("5", proxy.mqttUrl(), this.prefix);
	}

	@Test
	void fourLanesHandleMoreThanTwiceTheRateOfOneWithEachTopicInOrderMqtt5() {
		fourLanesHandleMoreThanTwiceTheRateOfOne("5");
	}

	@Test
	void fourLanesHandleMoreThanTwiceTheRateOfOneWithEachTopicInOrderMqtt311() {
		fourLanesHandleMoreThanTwiceTheRateOfOne("3.1.1");
	}

	private void fourLanesHandleMoreThanTwiceTheRateOfOne(String protocolVersion) {
		long serial = slowListenerRun(protocolVersion, 1);
		long concurrent = slowListenerRun(protocolVersion, 4);
		assertThat(concurrent * 2).as("nanoseconds with 4 lanes (%d) against 1 (%d)", concurrent, serial)
			.isLessThan(serial);
	}

	/**
	 * Publish to a listener that takes 20 ms per message, check that each topic's
	 * messages arrived in order and that every message was acknowledged once.
	 * @param protocolVersion the protocol version
	 * @param concurrency the concurrency of the listener
	 * @return the nanoseconds from the start of the first invocation to the end of the
	 * last
	 */
	private long slowListenerRun(String protocolVersion, int concurrency) {
		AtomicLong elapsed = new AtomicLong();
		String prefix = this.prefix + "/" + concurrency;
		try (TcpProxy proxy = TcpProxy.to(HiveMqBroker.shared().port())) {
			ListenerTestSupport.contextRunner(protocolVersion, proxy.mqttUrl(), prefix)
				.withUserConfiguration(SlowListener.class)
				.withPropertyValues("test.concurrency=" + concurrency)
				.run((context) -> {
					awaitSubscribed(context);
					try (MqttTestClient publisher = MqttTestClient.connect(HiveMqBroker.shared().tcpUrl())) {
						for (int i = 0; i < MESSAGES_PER_TOPIC; i++) {
							for (int topic = 0; topic < TOPICS; topic++) {
								publish(publisher, prefix + "/t" + topic, Integer.toString(i));
							}
						}
					}
					Recorder recorder = context.getBean(Recorder.class);
					await().atMost(WAIT).until(() -> recorder.count("all") >= TOPICS * MESSAGES_PER_TOPIC);
					List<String> inOrder = IntStream.range(0, MESSAGES_PER_TOPIC).mapToObj(Integer::toString).toList();
					for (int topic = 0; topic < TOPICS; topic++) {
						assertThat(recorder.all(prefix + "/t" + topic)).as("messages of t%d", topic)
							.containsExactlyElementsOf(inOrder);
					}
					SlowListener listener = context.getBean(SlowListener.class);
					assertThat(listener.mostRunning.get()).isBetween(1, concurrency);
					awaitEveryPublishAcknowledgedOnce(proxy, TOPICS * MESSAGES_PER_TOPIC);
					assertThat(recorder.count("all")).isEqualTo(TOPICS * MESSAGES_PER_TOPIC);
					elapsed.set(listener.lastEnd.get() - listener.firstStart.get());
				});
		}
		return elapsed.get();
	}

	@Test
	void atMostConcurrencyMessagesRunAtOnceAndEachIsAcknowledgedOnlyAfterItsListenerReturned() {
		try (TcpProxy proxy = TcpProxy.to(HiveMqBroker.shared().port())) {
			contextRunner(proxy).withUserConfiguration(GatedListeners.class).run((context) -> {
				awaitSubscribed(context);
				GatedListeners listeners = context.getBean(GatedListeners.class);
				try (MqttTestClient publisher = MqttTestClient.connect(HiveMqBroker.shared().tcpUrl())) {
					// While a QoS 1 message to a client is unacknowledged, HiveMQ queues
					// the next ones and sends them (all at once) only when an
					// acknowledgement comes: the opener's message is that one.
					publish(publisher, this.prefix + "/opener", "opener");
					await().atMost(WAIT).untilAtomic(listeners.openerStarted, equalTo(1));
					// Topics of equal length that differ in their last character hash to
					// consecutive values: two per lane
					for (int topic = 0; topic < TOPICS; topic++) {
						publish(publisher, this.prefix + "/gated/t" + topic, "m" + topic);
					}
				}
				listeners.openerGate.open();
				await().atMost(WAIT).until(() -> proxy.packetsFromServer(TcpProxy.PUBLISH) == 1 + TOPICS);
				await().atMost(WAIT).untilAtomic(listeners.started, equalTo(4));
				await("4 listener invocations waiting, nothing of theirs acknowledged").atMost(WAIT)
					.during(QUIET)
					.untilAsserted(() -> {
						assertThat(listeners.started).hasValue(4);
						assertThat(proxy.packetsFromClient(TcpProxy.PUBACK)).isOne();
					});
				listeners.gate.open();
				Recorder recorder = context.getBean(Recorder.class);
				await().atMost(WAIT).until(() -> recorder.count("gated") == TOPICS);
				awaitEveryPublishAcknowledgedOnce(proxy, 1 + TOPICS);
				assertThat(listeners.started).hasValue(TOPICS);
			});
		}
	}

	@Test
	void listenersRunOnPlatformThreadsByDefault() {
		try (TcpProxy proxy = TcpProxy.to(HiveMqBroker.shared().port())) {
			contextRunner(proxy).withUserConfiguration(ThreadListener.class).run((context) -> {
				Thread thread = threadOfAListener(context);
				assertThat(isVirtual(thread)).isFalse();
				assertThat(thread.getName()).isEqualTo("mqtt-listener-thread");
			});
		}
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void listenersRunOnVirtualThreadsWhenEnabled() {
		try (TcpProxy proxy = TcpProxy.to(HiveMqBroker.shared().port())) {
			contextRunner(proxy).withUserConfiguration(ThreadListener.class)
				.withPropertyValues("spring.threads.virtual.enabled=true")
				.run((context) -> {
					Thread thread = threadOfAListener(context);
					assertThat(isVirtual(thread)).isTrue();
					assertThat(thread.getName()).isEqualTo("mqtt-listener-thread");
				});
		}
	}

	private Thread threadOfAListener(ApplicationContext context) {
		ThreadListener listener = context.getBean(ThreadListener.class);
		Recorder recorder = context.getBean(Recorder.class);
		awaitSubscribed(context);
		try (MqttTestClient publisher = MqttTestClient.connect(HiveMqBroker.shared().tcpUrl())) {
			publish(publisher, this.prefix + "/thread", "which thread?");
		}
		assertThat(recorder.next("thread")).isEqualTo("which thread?");
		return listener.thread.get();
	}

	// Thread.isVirtual() is Java 21+; this code compiles for Java 17
	static boolean isVirtual(Thread thread) throws ReflectiveOperationException {
		Method isVirtual;
		try {
			isVirtual = Thread.class.getMethod("isVirtual");
		}
		catch (NoSuchMethodException ex) {
			return false;
		}
		return (boolean) isVirtual.invoke(thread);
	}

	private static void awaitEveryPublishAcknowledgedOnce(TcpProxy proxy, int atLeast) {
		await().atMost(WAIT).until(() -> proxy.packetsFromServer(TcpProxy.PUBLISH) >= atLeast);
		await("every PUBLISH from the broker acknowledged once").during(QUIET)
			.atMost(WAIT)
			.until(() -> proxy.packetsFromClient(TcpProxy.PUBACK) == proxy.packetsFromServer(TcpProxy.PUBLISH));
	}

	static class SlowListener {

		private final Recorder recorder;

		final AtomicInteger running = new AtomicInteger();

		final AtomicInteger mostRunning = new AtomicInteger();

		final AtomicLong firstStart = new AtomicLong();

		final AtomicLong lastEnd = new AtomicLong();

		SlowListener(Recorder recorder) {
			this.recorder = recorder;
		}

		@MqttListener(id = "slow", topics = "${test.prefix}/+", concurrency = "${test.concurrency}")
		void on(String payload, @Header(MqttHeaders.RECEIVED_TOPIC) String topic) throws InterruptedException {
			this.firstStart.compareAndSet(0, System.nanoTime());
			this.mostRunning.accumulateAndGet(this.running.incrementAndGet(), Math::max);
			try {
				// Simulated work, such as a database write
				Thread.sleep(20);
			}
			finally {
				this.running.decrementAndGet();
			}
			this.recorder.record(topic, payload);
			this.lastEnd.set(System.nanoTime());
			this.recorder.record("all", payload);
		}

	}

	static class GatedListeners {

		final Gate openerGate = new Gate(false);

		final AtomicInteger openerStarted = new AtomicInteger();

		final Gate gate = new Gate(false);

		final AtomicInteger started = new AtomicInteger();

		private final Recorder recorder;

		GatedListeners(Recorder recorder) {
			this.recorder = recorder;
		}

		@MqttListener(id = "opener", topics = "${test.prefix}/opener")
		void opener(String payload) {
			this.openerStarted.incrementAndGet();
			this.openerGate.pass();
		}

		@MqttListener(id = "gated", topics = "${test.prefix}/gated/+", concurrency = "4")
		void gated(String payload) {
			this.started.incrementAndGet();
			this.gate.pass();
			this.recorder.record("gated", payload);
		}

	}

	static class ThreadListener {

		final AtomicReference<Thread> thread = new AtomicReference<>();

		private final Recorder recorder;

		ThreadListener(Recorder recorder) {
			this.recorder = recorder;
		}

		@MqttListener(id = "thread", topics = "${test.prefix}/thread")
		void on(String payload) {
			this.thread.set(Thread.currentThread());
			this.recorder.record("thread", payload);
		}

	}

}
