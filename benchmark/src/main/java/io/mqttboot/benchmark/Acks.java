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
package io.mqttboot.benchmark;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;

/**
 * Counts the acknowledgements (and failures) of the publishes of one phase.
 *
 * @author mqttboot
 */
final class Acks implements BiConsumer<@Nullable Object, @Nullable Throwable> {

	private final AtomicInteger succeeded = new AtomicInteger();

	private final AtomicInteger failed = new AtomicInteger();

	private volatile @Nullable Throwable firstFailure;

	@Override
	public void accept(@Nullable Object result, @Nullable Throwable failure) {
		if (failure == null) {
			this.succeeded.incrementAndGet();
		}
		else {
			if (this.firstFailure == null) {
				this.firstFailure = failure;
			}
			this.failed.incrementAndGet();
		}
	}

	int succeeded() {
		return this.succeeded.get();
	}

	int failed() {
		return this.failed.get();
	}

	@Nullable Throwable firstFailure() {
		return this.firstFailure;
	}

	/**
	 * Wait until every publish completed or the deadline passed.
	 * @param count the number of publishes
	 * @param deadlineNanos the deadline, in {@link System#nanoTime()} terms
	 * @return whether all completed
	 */
	boolean await(int count, long deadlineNanos) {
		while (this.succeeded.get() + this.failed.get() < count) {
			if (System.nanoTime() - deadlineNanos > 0) {
				return false;
			}
			LockSupport.parkNanos(200_000);
		}
		return true;
	}

}
