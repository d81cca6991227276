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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link DeadlineSweeper}.
 *
 * @author mqttboot
 */
class DeadlineSweeperTests {

	private final DeadlineSweeper sweeper = new DeadlineSweeper();

	@Test
	void expiresAnOperationNotDoneByItsDeadlineOnce() {
		Operation overdue = new Operation();
		this.sweeper.add(overdue, TimeUnit.MILLISECONDS.toNanos(20));
		await().atMost(Duration.ofSeconds(5)).until(() -> overdue.expired.get() == 1);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.sweeper.size() == 0);
		assertThat(overdue.expired).hasValue(1);
	}

	@Test
	void forgetsOperationsDoneInTimeWithoutExpiringThem() {
		Operation done = new Operation();
		Operation overdue = new Operation();
		this.sweeper.add(done, TimeUnit.MILLISECONDS.toNanos(20));
		this.sweeper.add(overdue, TimeUnit.MILLISECONDS.toNanos(20));
		done.done = true;
		await().atMost(Duration.ofSeconds(5)).until(() -> overdue.expired.get() == 1 && this.sweeper.size() == 0);
		assertThat(done.expired).hasValue(0);
	}

	@Test
	void keepsSweepingWhileOperationsArePendingAndStartsAgainAfterIdle() {
		Operation first = new Operation();
		this.sweeper.add(first, TimeUnit.MILLISECONDS.toNanos(10));
		await().atMost(Duration.ofSeconds(5)).until(() -> first.expired.get() == 1 && this.sweeper.size() == 0);
		Operation later = new Operation();
		this.sweeper.add(later, TimeUnit.MILLISECONDS.toNanos(10));
		await().atMost(Duration.ofSeconds(5)).until(() -> later.expired.get() == 1);
	}

	@Test
	void keepsAnOperationPendingOverSeveralSweepsUntilItsDeadline() {
		Operation slow = new Operation();
		long added = System.nanoTime();
		this.sweeper.add(slow, TimeUnit.MILLISECONDS.toNanos(300));
		// short timeouts make the sweeps frequent
		Operation quick = new Operation();
		this.sweeper.add(quick, TimeUnit.MILLISECONDS.toNanos(10));
		await().atMost(Duration.ofSeconds(5)).until(() -> quick.expired.get() == 1);
		assertThat(slow.expired).hasValue(0);
		await().atMost(Duration.ofSeconds(5)).until(() -> slow.expired.get() == 1);
		assertThat(System.nanoTime() - added).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.sweeper.size() == 0);
		assertThat(slow.expired).hasValue(1);
	}

	@Test
	void operationsAddedFromSeveralThreadsWhileSweepingAreEachExpiredOnceOrForgotten() throws Exception {
		int threads = 4;
		int perThread = 5_000;
		List<Operation> operations = new CopyOnWriteArrayList<>();
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> adders = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				adders.add(executor.submit(() -> {
					for (int i = 0; i < perThread; i++) {
						Operation operation = new Operation();
						operations.add(operation);
						this.sweeper.add(operation, TimeUnit.MILLISECONDS.toNanos(10));
						// every other one is done in time
						operation.done = (i % 2 == 0);
					}
				}));
			}
			for (Future<?> adder : adders) {
				adder.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdown();
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> this.sweeper.size() == 0);
		assertThat(operations).hasSize(threads * perThread);
		assertThat(operations).allSatisfy((operation) -> {
			assertThat(operation.done).isTrue();
			assertThat(operation.expired.get()).isLessThanOrEqualTo(1);
		});
		assertThat(operations.stream().mapToInt((operation) -> operation.expired.get()).sum())
			.isGreaterThanOrEqualTo(threads * perThread / 2);
		// after the burst (arrays grown, then dropped by the sweeps) it works as before
		Operation later = new Operation();
		this.sweeper.add(later, TimeUnit.MILLISECONDS.toNanos(10));
		await().atMost(Duration.ofSeconds(5)).until(() -> later.expired.get() == 1 && this.sweeper.size() == 0);
	}

	@Test
	void anOperationThatFailsToExpireDoesNotStopTheSweep() {
		Operation failing = new Operation() {

			@Override
			public void expire() {
				super.expire();
				throw new IllegalStateException("boom");
			}

		};
		Operation next = new Operation();
		this.sweeper.add(failing, TimeUnit.MILLISECONDS.toNanos(10));
		this.sweeper.add(next, TimeUnit.MILLISECONDS.toNanos(10));
		await().atMost(Duration.ofSeconds(5)).until(() -> failing.expired.get() == 1 && next.expired.get() == 1);
	}

	static class Operation implements DeadlineSweeper.Expirable {

		final AtomicInteger expired = new AtomicInteger();

		volatile boolean done;

		@Override
		public boolean isDone() {
			return this.done;
		}

		@Override
		public void expire() {
			this.expired.incrementAndGet();
			this.done = true;
		}

	}

}
