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

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SerialExecutor}.
 *
 * @author mqttboot
 */
class SerialExecutorTests {

	private final ExecutorService pool = Executors.newCachedThreadPool();

	@AfterEach
	void shutdown() {
		this.pool.shutdownNow();
	}

	@Test
	void runsTasksInOrderOnOneNamedThreadOnceResumed() {
		SerialExecutor executor = new SerialExecutor(this.pool, "mqtt-listener-test");
		List<Integer> order = new CopyOnWriteArrayList<>();
		List<String> threads = new CopyOnWriteArrayList<>();
		IntStream.range(0, 1000).forEach((i) -> executor.execute(() -> {
			order.add(i);
			threads.add(Thread.currentThread().getName());
		}));
		assertThat(order).isEmpty();
		executor.resume();
		assertThat(executor.awaitIdle(Duration.ofSeconds(10))).isTrue();
		assertThat(order).containsExactlyElementsOf(IntStream.range(0, 1000).boxed().toList());
		assertThat(threads).containsOnly("mqtt-listener-test");
	}

	@Test
	void noTaskIsStrandedWhileTheWorkerParksAndWakes() {
		// Bursts that end while the worker drains, parks or wakes: the last task of every
		// burst must run without a later submission waking the worker.
		SerialExecutor executor = new SerialExecutor(this.pool, "mqtt-listener-test");
		executor.resume();
		List<Integer> order = new CopyOnWriteArrayList<>();
		int next = 0;
		for (int burst = 0; burst < 5_000; burst++) {
			int size = 1 + burst % 4;
			for (int i = 0; i < size; i++) {
				int value = next++;
				executor.execute(() -> order.add(value));
			}
			assertThat(executor.awaitIdle(Duration.ofSeconds(5))).as("burst %d", burst).isTrue();
		}
		assertThat(order).containsExactlyElementsOf(IntStream.range(0, next).boxed().toList());
	}

	@Test
	void boundedExecuteRefusesBeyondTheLimit() {
		SerialExecutor executor = new SerialExecutor(this.pool, "mqtt-listener-test");
		assertThat(executor.execute(() -> {
		}, 2)).isTrue();
		assertThat(executor.execute(() -> {
		}, 2)).isTrue();
		assertThat(executor.execute(() -> {
		}, 2)).isFalse();
		executor.resume();
		assertThat(executor.awaitIdle(Duration.ofSeconds(10))).isTrue();
		assertThat(executor.execute(() -> {
		}, 2)).isTrue();
	}

	@Test
	void aFailingTaskDoesNotStopTheNext() {
		SerialExecutor executor = new SerialExecutor(this.pool, "mqtt-listener-test");
		List<String> ran = new CopyOnWriteArrayList<>();
		executor.resume();
		executor.execute(() -> {
			throw new IllegalStateException("boom");
		});
		executor.execute(() -> ran.add("next"));
		assertThat(executor.awaitIdle(Duration.ofSeconds(10))).isTrue();
		assertThat(ran).containsExactly("next");
	}

	@Test
	void anInterruptLeftByATaskDoesNotStopTheWorker() {
		SerialExecutor executor = new SerialExecutor(this.pool, "mqtt-listener-test");
		List<String> ran = new CopyOnWriteArrayList<>();
		executor.resume();
		executor.execute(() -> Thread.currentThread().interrupt());
		assertThat(executor.awaitIdle(Duration.ofSeconds(10))).isTrue();
		executor.execute(() -> ran.add("after the interrupt"));
		assertThat(executor.awaitIdle(Duration.ofSeconds(10))).isTrue();
		assertThat(ran).containsExactly("after the interrupt");
	}

	@Test
	void aShutdownOfThePoolStopsTheWorkerAndDropsWhatIsQueued() throws InterruptedException {
		SerialExecutor executor = new SerialExecutor(this.pool, "mqtt-listener-test");
		executor.resume();
		executor.execute(() -> {
		});
		assertThat(executor.awaitIdle(Duration.ofSeconds(10))).isTrue();
		this.pool.shutdownNow();
		assertThat(this.pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		List<String> ran = new CopyOnWriteArrayList<>();
		executor.execute(() -> ran.add("too late"));
		assertThat(executor.awaitIdle(Duration.ofSeconds(10))).isTrue();
		assertThat(ran).isEmpty();
	}

}
