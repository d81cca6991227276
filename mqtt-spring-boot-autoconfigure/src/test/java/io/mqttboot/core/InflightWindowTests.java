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

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link InflightWindow}.
 *
 * @author mqttboot
 */
class InflightWindowTests {

	@Test
	void blocksAtTheLimitAndTimesOut() throws Exception {
		InflightWindow window = new InflightWindow(() -> 2);
		assertThat(window.acquire(0)).isTrue();
		assertThat(window.acquire(0)).isTrue();
		long start = System.nanoTime();
		assertThat(window.acquire(TimeUnit.MILLISECONDS.toNanos(50))).isFalse();
		assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
		window.release();
		assertThat(window.acquire(0)).isTrue();
		assertThat(window.used()).isEqualTo(2);
	}

	@Test
	void handsFreedSlotsToDeferredTasksInOrder() {
		InflightWindow window = new InflightWindow(() -> 1);
		StringBuilder ran = new StringBuilder();
		assertThat(window.acquireOrDefer(() -> ran.append("never"))).isTrue();
		Runnable second = () -> ran.append('2');
		Runnable cancelled = () -> ran.append('x');
		assertThat(window.acquireOrDefer(second)).isFalse();
		assertThat(window.acquireOrDefer(cancelled)).isFalse();
		assertThat(window.acquireOrDefer(() -> ran.append('3'))).isFalse();
		assertThat(window.cancel(cancelled)).isTrue();
		window.release();
		assertThat(ran).hasToString("2");
		assertThat(window.used()).isEqualTo(1);
		window.release();
		assertThat(ran).hasToString("23");
		window.release();
		assertThat(window.used()).isZero();
	}

	@Test
	void runsDeferredTasksThatReleaseAtOnceWithoutRecursion() {
		InflightWindow window = new InflightWindow(() -> 1);
		assertThat(window.acquireOrDefer(() -> {
		})).isTrue();
		int[] ran = new int[1];
		for (int i = 0; i < 50_000; i++) {
			window.acquireOrDefer(() -> {
				ran[0]++;
				window.release();
			});
		}
		window.release();
		assertThat(ran[0]).isEqualTo(50_000);
		assertThat(window.used()).isZero();
	}

	@Test
	void limitBelowOneCountsAsOne() throws Exception {
		InflightWindow window = new InflightWindow(() -> 0);
		assertThat(window.limit()).isOne();
		assertThat(window.acquire(0)).isTrue();
		assertThat(window.acquire(0)).isFalse();
	}

	@Test
	void loweredLimitLetsPublishesInFlightFinishWithoutReplacingThem() throws Exception {
		AtomicInteger limit = new AtomicInteger(3);
		InflightWindow window = new InflightWindow(limit::get);
		for (int i = 0; i < 3; i++) {
			assertThat(window.acquire(0)).isTrue();
		}
		limit.set(1);
		window.limitChanged();
		assertThat(window.limit()).isOne();
		assertThat(window.used()).isEqualTo(3);
		StringBuilder ran = new StringBuilder();
		assertThat(window.acquireOrDefer(() -> ran.append("deferred"))).isFalse();
		window.release();
		window.release();
		assertThat(ran).isEmpty();
		assertThat(window.acquire(0)).isFalse();
		window.release();
		assertThat(ran).hasToString("deferred");
		assertThat(window.used()).isOne();
		window.release();
		assertThat(window.used()).isZero();
		assertThat(window.acquire(0)).isTrue();
		assertThat(window.acquire(0)).isFalse();
	}

	@Test
	void raisedLimitRunsDeferredTasksAndWakesBlockedPublishers() throws Exception {
		AtomicInteger limit = new AtomicInteger(1);
		InflightWindow window = new InflightWindow(limit::get);
		assertThat(window.acquire(0)).isTrue();
		AtomicInteger ran = new AtomicInteger();
		assertThat(window.acquireOrDefer(ran::incrementAndGet)).isFalse();
		ExecutorService publisher = Executors.newSingleThreadExecutor();
		try {
			Future<Boolean> blocked = publisher.submit(() -> window.acquire(TimeUnit.SECONDS.toNanos(30)));
			limit.set(3);
			window.limitChanged();
			assertThat(blocked.get(10, TimeUnit.SECONDS)).isTrue();
			assertThat(ran).hasValue(1);
			assertThat(window.used()).isEqualTo(3);
			assertThat(window.acquire(0)).isFalse();
		}
		finally {
			publisher.shutdownNow();
		}
	}

	@Test
	void concurrentPublishersNeverHoldMoreSlotsThanTheLimitAndFreeEachOnce() throws Exception {
		int limit = 5;
		InflightWindow window = new InflightWindow(() -> limit);
		AtomicInteger holding = new AtomicInteger();
		AtomicInteger mostHeld = new AtomicInteger();
		AtomicInteger deferredRuns = new AtomicInteger();
		AtomicBoolean running = new AtomicBoolean(true);
		ExecutorService threads = Executors.newFixedThreadPool(4);
		try {
			List<Future<?>> publishers = new ArrayList<>();
			for (int t = 0; t < 3; t++) {
				publishers.add(threads.submit(() -> {
					for (int i = 0; i < 20_000; i++) {
						if (window.acquire(TimeUnit.SECONDS.toNanos(10))) {
							mostHeld.accumulateAndGet(holding.incrementAndGet(), Math::max);
							holding.decrementAndGet();
							window.release();
						}
					}
					return null;
				}));
			}
			// like Paho's callback thread: never blocks, its tasks free their slot at once
			Future<?> deferring = threads.submit(() -> {
				while (running.get()) {
					Runnable task = () -> {
						mostHeld.accumulateAndGet(holding.incrementAndGet(), Math::max);
						deferredRuns.incrementAndGet();
						holding.decrementAndGet();
						window.release();
					};
					if (window.acquireOrDefer(task)) {
						task.run();
					}
				}
			});
			for (Future<?> publisher : publishers) {
				publisher.get(60, TimeUnit.SECONDS);
			}
			running.set(false);
			deferring.get(60, TimeUnit.SECONDS);
		}
		finally {
			threads.shutdownNow();
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> window.used() == 0);
		assertThat(mostHeld.get()).isLessThanOrEqualTo(limit);
		assertThat(deferredRuns.get()).isPositive();
		for (int i = 0; i < limit; i++) {
			assertThat(window.acquire(0)).isTrue();
		}
		assertThat(window.acquire(0)).isFalse();
	}

}
