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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.TaskExecutor;
import org.springframework.core.task.TaskRejectedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link SerialLanes}: the specification of the order in which a listener
 * sees its messages.
 *
 * @author mqttboot
 */
class SerialLanesTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final ExecutorService pool = Executors.newCachedThreadPool();

	private final TaskExecutor executor = this.pool::execute;

	@AfterEach
	void shutdown() {
		this.pool.shutdownNow();
	}

	@Test
	void runsTasksInOrderOnOneNamedThreadOnceStarted() {
		SerialLanes lanes = new SerialLanes(this.executor, "mqtt-listener-test", 1);
		List<Integer> order = new CopyOnWriteArrayList<>();
		List<String> threads = new CopyOnWriteArrayList<>();
		IntStream.range(0, 1000).forEach((i) -> lanes.execute("topic/" + i, () -> {
			order.add(i);
			threads.add(Thread.currentThread().getName());
		}));
		assertThat(order).isEmpty();
		assertThat(lanes.getPending()).isEqualTo(1000);
		lanes.start();
		assertThat(lanes.awaitIdle(WAIT)).isTrue();
		assertThat(order).containsExactlyElementsOf(IntStream.range(0, 1000).boxed().toList());
		assertThat(threads).containsOnly("mqtt-listener-test");
		assertThat(lanes.getPending()).isZero();
	}

	@Test
	void noTaskIsStrandedWhileTheWorkerWaitsAndWakes() {
		// Bursts that end while the worker drains, waits or wakes: the last task of every
		// burst must run without a later submission waking the worker.
		SerialLanes lanes = new SerialLanes(this.executor, "mqtt-listener-test", 1);
		lanes.start();
		List<Integer> order = new CopyOnWriteArrayList<>();
		int next = 0;
		for (int burst = 0; burst < 5_000; burst++) {
			int size = 1 + burst % 4;
			for (int i = 0; i < size; i++) {
				int value = next++;
				lanes.execute("topic", () -> order.add(value));
			}
			assertThat(lanes.awaitIdle(Duration.ofSeconds(5))).as("burst %d", burst).isTrue();
		}
		assertThat(order).containsExactlyElementsOf(IntStream.range(0, next).boxed().toList());
	}

	@Test
	void tasksOfOneKeyKeepTheirOrderWhileOtherKeysRunBesideThem() {
		SerialLanes lanes = new SerialLanes(this.executor, "mqtt-listener-test", 4);
		Map<String, List<Integer>> order = new ConcurrentHashMap<>();
		Map<String, Set<String>> threads = new ConcurrentHashMap<>();
		AtomicInteger running = new AtomicInteger();
		AtomicInteger mostRunning = new AtomicInteger();
		List<String> keys = IntStream.range(0, 8).mapToObj((i) -> "sensors/" + i).toList();
		for (int i = 0; i < 400; i++) {
			String key = keys.get(i % keys.size());
			int value = i;
			lanes.execute(key, () -> {
				mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
				threads.computeIfAbsent(key, (k) -> ConcurrentHashMap.newKeySet())
					.add(Thread.currentThread().getName());
				order.computeIfAbsent(key, (k) -> new CopyOnWriteArrayList<>()).add(value);
				running.decrementAndGet();
			});
		}
		lanes.start();
		assertThat(lanes.awaitIdle(WAIT)).isTrue();
		for (int k = 0; k < keys.size(); k++) {
			int first = k;
			assertThat(order.get(keys.get(k))).as(keys.get(k))
				.containsExactlyElementsOf(IntStream.range(0, 50).map((i) -> first + i * 8).boxed().toList());
		}
		assertThat(mostRunning.get()).isBetween(1, 4);
		assertThat(threads.values()).allSatisfy((names) -> assertThat(names).hasSize(1));
		assertThat(threads.values().stream().flatMap(Set::stream)).containsOnly("mqtt-listener-test-0",
				"mqtt-listener-test-1", "mqtt-listener-test-2", "mqtt-listener-test-3");
	}

	@Test
	void lanesRunInParallel() {
		// Keys of equal length that differ in their last character only hash to
		// consecutive values: one key per lane
		SerialLanes lanes = new SerialLanes(this.executor, "mqtt-listener-test", 4);
		CountDownLatch allRunning = new CountDownLatch(4);
		List<Boolean> metTheOthers = new CopyOnWriteArrayList<>();
		lanes.start();
		for (int i = 0; i < 4; i++) {
			lanes.execute("t" + i, () -> {
				allRunning.countDown();
				try {
					metTheOthers.add(allRunning.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
		}
		assertThat(lanes.awaitIdle(WAIT.multipliedBy(2))).isTrue();
		assertThat(metTheOthers).containsExactly(true, true, true, true);
	}

	@Test
	void boundedExecuteRefusesBeyondTheLimitOfAllLanes() {
		SerialLanes lanes = new SerialLanes(this.executor, "mqtt-listener-test", 2);
		assertThat(lanes.execute("t0", () -> {
		}, 2)).isTrue();
		assertThat(lanes.execute("t1", () -> {
		}, 2)).isTrue();
		assertThat(lanes.execute("t0", () -> {
		}, 2)).isFalse();
		assertThat(lanes.execute("t1", () -> {
		}, 2)).isFalse();
		lanes.start();
		assertThat(lanes.awaitIdle(WAIT)).isTrue();
		assertThat(lanes.execute("t0", () -> {
		}, 2)).isTrue();
	}

	@Test
	void aFailingTaskDoesNotStopTheNext() {
		SerialLanes lanes = new SerialLanes(this.executor, "mqtt-listener-test", 1);
		List<String> ran = new CopyOnWriteArrayList<>();
		lanes.start();
		lanes.execute("topic", () -> {
			throw new IllegalStateException("boom");
		});
		lanes.execute("topic", () -> ran.add("next"));
		assertThat(lanes.awaitIdle(WAIT)).isTrue();
		assertThat(ran).containsExactly("next");
	}

	@Test
	void anInterruptLeftByATaskDoesNotStopTheWorker() {
		SerialLanes lanes = new SerialLanes(this.executor, "mqtt-listener-test", 1);
		List<String> ran = new CopyOnWriteArrayList<>();
		lanes.start();
		lanes.execute("topic", () -> Thread.currentThread().interrupt());
		assertThat(lanes.awaitIdle(WAIT)).isTrue();
		lanes.execute("topic", () -> ran.add("after the interrupt"));
		assertThat(lanes.awaitIdle(WAIT)).isTrue();
		assertThat(ran).containsExactly("after the interrupt");
	}

	@Test
	void closeEndsTheWorkersAndDropsWhatIsQueued() {
		SerialLanes lanes = new SerialLanes(new SimpleAsyncTaskExecutor("test-"), "mqtt-listener-test", 2);
		List<Thread> workers = new CopyOnWriteArrayList<>();
		lanes.start();
		lanes.execute("t0", () -> workers.add(Thread.currentThread()));
		lanes.execute("t1", () -> workers.add(Thread.currentThread()));
		assertThat(lanes.awaitIdle(WAIT)).isTrue();
		lanes.close();
		await().atMost(WAIT).until(() -> workers.stream().noneMatch(Thread::isAlive));
		List<String> ran = new CopyOnWriteArrayList<>();
		lanes.execute("t0", () -> ran.add("too late"));
		assertThat(lanes.execute("t1", () -> ran.add("too late"), 10)).isFalse();
		assertThat(lanes.awaitIdle(WAIT)).isTrue();
		assertThat(ran).isEmpty();
	}

	@Test
	void closeInterruptsARunningTask() {
		SerialLanes lanes = new SerialLanes(this.executor, "mqtt-listener-test", 1);
		CountDownLatch started = new CountDownLatch(1);
		AtomicReference<Boolean> interrupted = new AtomicReference<>();
		lanes.start();
		lanes.execute("topic", () -> {
			started.countDown();
			try {
				new CountDownLatch(1).await();
			}
			catch (InterruptedException ex) {
				interrupted.set(true);
			}
		});
		await().atMost(WAIT).until(() -> started.getCount() == 0);
		lanes.close();
		await().atMost(WAIT).until(() -> Boolean.TRUE.equals(interrupted.get()));
	}

	@Test
	void aWorkerTheExecutorRefusesDropsTheQueuedTasks() {
		SerialLanes lanes = new SerialLanes((task) -> {
			throw new TaskRejectedException("shut down");
		}, "mqtt-listener-test", 1);
		List<String> ran = new CopyOnWriteArrayList<>();
		lanes.execute("topic", () -> ran.add("never"));
		lanes.start();
		assertThat(lanes.awaitIdle(WAIT)).isTrue();
		assertThat(lanes.getPending()).isZero();
		assertThat(ran).isEmpty();
	}

}
