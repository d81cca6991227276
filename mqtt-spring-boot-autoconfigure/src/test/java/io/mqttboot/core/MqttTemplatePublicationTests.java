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
package io.mqttboot.core;

import java.lang.ref.WeakReference;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.mqttboot.connection.MqttConnection;
import org.eclipse.paho.mqttv5.client.IMqttAsyncClient;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.integration.mqtt.core.ClientManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.withSettings;

/**
 * Tests for the sends of {@link MqttTemplate} against a Paho client that acknowledges
 * only when told: send timeouts, the in-flight slot of each send, and retries after
 * Paho's "too many publishes in progress".
 *
 * @author mqttboot
 */
class MqttTemplatePublicationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final Queue<Publish> published = new ConcurrentLinkedQueue<>();

	private final AtomicInteger publishCalls = new AtomicInteger();

	// How many of the next publish calls Paho refuses with 32202; negative: all of them.
	private final AtomicInteger refusals = new AtomicInteger();

	private final ExecutorService callbackThread = Executors
		.newSingleThreadExecutor((task) -> new Thread(task, "MQTT Call: publication-tests"));

	private final MqttTemplate template = new MqttTemplate(MqttConnection.of(MqttConnection.DEFAULT_NAME,
			clientManager()));

	@AfterEach
	void stopCallbackThread() {
		this.callbackThread.shutdownNow();
	}

	@Test
	void sendNotAcknowledgedInTimeFailsOnceAndFreesItsSlot() {
		this.template.setSendTimeout(Duration.ofMillis(100));
		CompletableFuture<Void> sent = this.template.send("t", "x");
		assertThat(sent).failsWithin(WAIT)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(TimeoutException.class)
			.withMessage("No acknowledgement of the publish to 't' within PT0.1S");
		assertThat(window().used()).isZero();
		// a late acknowledgement changes nothing and frees nothing more
		this.published.remove().acknowledge();
		assertThat(sent).isCompletedExceptionally();
		assertThat(window().used()).isZero();
		assertWindowHasRoomFor(100);
	}

	@Test
	void sendAcknowledgedInTimeNeverTimesOut() {
		this.template.setSendTimeout(Duration.ofMillis(100));
		CompletableFuture<Void> sent = this.template.send("t", "x");
		this.published.remove().acknowledge();
		assertThat(sent).isCompleted().isNotCompletedExceptionally();
		await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> !sent.isCompletedExceptionally());
		assertThat(window().used()).isZero();
	}

	@Test
	void blockedSendThatFindsNoRoomInTimeIsNeverSent() {
		this.template.setMaxInflight(1);
		this.template.setSendTimeout(Duration.ofSeconds(30));
		CompletableFuture<Void> first = this.template.send("t", "first");
		this.template.setSendTimeout(Duration.ofMillis(100));
		CompletableFuture<Void> second = this.template.send("t", "second");
		assertThat(second).failsWithin(WAIT)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(TimeoutException.class)
			.withMessageContaining("No room in the in-flight window")
			.withMessageContaining("within PT0.1S to publish to 't'");
		this.published.remove().acknowledge();
		assertThat(first).isCompleted().isNotCompletedExceptionally();
		assertThat(this.published).isEmpty();
		assertThat(this.publishCalls).hasValue(1);
		assertThat(window().used()).isZero();
	}

	@Test
	void deferredSendThatFindsNoRoomInTimeIsNeverSent() throws Exception {
		this.template.setMaxInflight(1);
		this.template.setSendTimeout(Duration.ofSeconds(30));
		CompletableFuture<Void> first = this.template.send("t", "first");
		this.template.setSendTimeout(Duration.ofMillis(100));
		CompletableFuture<Void> second = this.callbackThread.submit(() -> this.template.send("t", "second"))
			.get(10, TimeUnit.SECONDS);
		assertThat(second).failsWithin(WAIT)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(TimeoutException.class)
			.withMessage("No room in the in-flight window within PT0.1S to publish to 't'");
		assertThat(window().used()).isEqualTo(1);
		this.published.remove().acknowledge();
		assertThat(first).isCompleted().isNotCompletedExceptionally();
		assertThat(this.published).isEmpty();
		assertThat(this.publishCalls).hasValue(1);
		assertThat(window().used()).isZero();
		assertWindowHasRoomFor(1);
	}

	@Test
	void sendFromATimedOutSendsDependentStageIsQueuedInsteadOfBlocking() throws Exception {
		this.template.setMaxInflight(1);
		this.template.setSendTimeout(Duration.ofSeconds(30));
		CompletableFuture<Void> first = this.template.send("t", "first");
		this.template.setSendTimeout(Duration.ofMillis(100));
		AtomicReference<CompletableFuture<Void>> third = new AtomicReference<>();
		CompletableFuture<Void> second = this.callbackThread.submit(() -> this.template.send("t", "second"))
			.get(10, TimeUnit.SECONDS);
		this.template.setSendTimeout(Duration.ofSeconds(30));
		// runs on the thread of the timeout, when the window is still full: waiting there
		// for room would hold every timeout up for 30 seconds
		second.whenComplete((ignored, ex) -> third.set(this.template.send("t", "third")));
		await().atMost(WAIT).until(() -> third.get() != null);
		assertThat(second).isCompletedExceptionally();
		assertThat(third.get()).isNotDone();
		this.published.remove().acknowledge();
		assertThat(first).isCompleted().isNotCompletedExceptionally();
		await().atMost(WAIT).until(() -> !this.published.isEmpty());
		this.published.remove().acknowledge();
		assertThat(third.get()).succeedsWithin(WAIT);
		assertThat(window().used()).isZero();
	}

	@Test
	void retriesWhileAnotherPublisherFilledPahosWindow() {
		this.refusals.set(3);
		CompletableFuture<Void> sent = this.template.send("t", "x");
		await().atMost(WAIT).until(() -> !this.published.isEmpty());
		assertThat(this.publishCalls).hasValue(4);
		this.published.remove().acknowledge();
		assertThat(sent).succeedsWithin(WAIT);
		assertThat(window().used()).isZero();
	}

	@Test
	void retriesStopAtTheSendTimeout() {
		this.refusals.set(-1);
		this.template.setSendTimeout(Duration.ofMillis(100));
		CompletableFuture<Void> sent = this.template.send("t", "x");
		assertThat(sent).failsWithin(WAIT)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(TimeoutException.class)
			.withMessage("No acknowledgement of the publish to 't' within PT0.1S");
		assertThat(this.publishCalls.get()).isGreaterThan(1);
		int calls = this.publishCalls.get();
		await().during(Duration.ofMillis(100)).atMost(WAIT).until(() -> this.publishCalls.get() <= calls + 1);
		assertThat(window().used()).isZero();
	}

	@Test
	void finishedSendsDoNotKeepTheirPayload() {
		this.template.setSendTimeout(Duration.ofSeconds(30));
		byte[] acknowledged = new byte[1024];
		byte[] timedOut = new byte[1024];
		WeakReference<byte[]> acknowledgedPayload = new WeakReference<>(acknowledged);
		WeakReference<byte[]> timedOutPayload = new WeakReference<>(timedOut);
		CompletableFuture<Void> first = this.template.send("t", acknowledged, 1, false);
		this.template.setSendTimeout(Duration.ofMillis(50));
		CompletableFuture<Void> second = this.template.send("t", timedOut, 1, false);
		acknowledged = null;
		timedOut = null;
		this.published.remove().acknowledge();
		assertThat(first).succeedsWithin(WAIT);
		assertThat(second).failsWithin(WAIT);
		await().atMost(WAIT).until(() -> {
			System.gc();
			return acknowledgedPayload.get() == null && timedOutPayload.get() == null;
		});
	}

	@Test
	void concurrentSendsRacingTheirTimeoutsEachCompleteOnceAndFreeTheirSlotOnce() throws Exception {
		int threads = 4;
		int perThread = 500;
		this.template.setMaxInflight(20);
		this.template.setSendTimeout(Duration.ofMillis(20));
		List<CompletableFuture<Void>> futures = new CopyOnWriteArrayList<>();
		ScheduledExecutorService acknowledger = Executors.newSingleThreadScheduledExecutor();
		ExecutorService senders = Executors.newFixedThreadPool(threads);
		try {
			// acknowledges about every other publish, some before and some after the
			// timeout
			acknowledger.scheduleWithFixedDelay(() -> {
				Publish publish;
				while ((publish = this.published.poll()) != null) {
					if (ThreadLocalRandom.current().nextBoolean()) {
						Publish acknowledged = publish;
						acknowledger.schedule(acknowledged::acknowledge, ThreadLocalRandom.current().nextInt(40),
								TimeUnit.MILLISECONDS);
					}
				}
			}, 1, 1, TimeUnit.MILLISECONDS);
			List<Future<?>> running = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				running.add(senders.submit(() -> {
					for (int i = 0; i < perThread; i++) {
						futures.add(this.template.send("t", "x"));
					}
				}));
			}
			for (Future<?> sender : running) {
				sender.get(60, TimeUnit.SECONDS);
			}
			assertThat(futures).hasSize(threads * perThread);
			await().atMost(WAIT).until(() -> futures.stream().allMatch(CompletableFuture::isDone));
			await().atMost(WAIT).until(() -> window().used() == 0);
		}
		finally {
			senders.shutdownNow();
			acknowledger.shutdownNow();
		}
		assertThat(futures.stream().filter(CompletableFuture::isCompletedExceptionally).count()).isPositive();
		assertThat(futures.stream().filter((future) -> !future.isCompletedExceptionally()).count()).isPositive();
		assertWindowHasRoomFor(20);
	}

	private InflightWindow window() {
		return this.template.getInflightWindow();
	}

	// Exactly as many slots as the limit: none was freed twice.
	private void assertWindowHasRoomFor(int slots) {
		InflightWindow window = window();
		try {
			for (int i = 0; i < slots; i++) {
				assertThat(window.acquire(0)).isTrue();
			}
			assertThat(window.acquire(0)).isFalse();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		finally {
			int used = window.used();
			for (int i = 0; i < used; i++) {
				window.release();
			}
		}
	}

	@SuppressWarnings("unchecked")
	private ClientManager<IMqttAsyncClient, MqttConnectionOptions> clientManager() {
		ClientManager<IMqttAsyncClient, MqttConnectionOptions> manager = mock(ClientManager.class,
				withSettings().stubOnly());
		given(manager.getClient()).willReturn(pahoClient());
		given(manager.getConnectionInfo()).willReturn(new MqttConnectionOptions());
		given(manager.getClientId()).willReturn("publication-tests");
		given(manager.isConnected()).willReturn(true);
		return manager;
	}

	// A proxy rather than a mock, which would keep the last message published: the
	// tests check that finished sends keep no payload.
	private IMqttAsyncClient pahoClient() {
		return (IMqttAsyncClient) Proxy.newProxyInstance(getClass().getClassLoader(),
				new Class<?>[] { IMqttAsyncClient.class }, (proxy, method, args) -> {
					if (method.getName().equals("publish") && args != null && args.length == 4
							&& args[3] instanceof MqttActionListener listener) {
						this.publishCalls.incrementAndGet();
						int refusals = this.refusals.getAndUpdate((left) -> (left > 0) ? left - 1 : left);
						if (refusals != 0) {
							throw new MqttException(MqttConnection.MAX_INFLIGHT);
						}
						this.published.add(new Publish(args[2], listener));
						return null;
					}
					if (method.getName().equals("toString")) {
						return "Paho client of publication-tests";
					}
					throw new UnsupportedOperationException(method.getName());
				});
	}

	/**
	 * A publish handed to Paho, acknowledged when the test says so.
	 */
	private record Publish(Object context, MqttActionListener listener) {

		void acknowledge() {
			IMqttToken token = mock(IMqttToken.class, withSettings().stubOnly());
			given(token.getUserContext()).willReturn(this.context);
			this.listener.onSuccess(token);
		}

	}

}
