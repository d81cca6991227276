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

import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Fails futures with a {@link TimeoutException} (without message) when they are not
 * complete by their deadline, like {@link CompletableFuture#orTimeout}, but with one
 * sweep over the pending futures every few milliseconds while there are any, instead of
 * a task scheduled and cancelled on a shared timer for every publish. A future times out
 * at most one resolution (a tenth of its timeout, between 1 and 50 ms) after its
 * deadline. Only the futures are held, and a completed future holds nothing but its
 * result, so a publish's payload is not kept until the next sweep.
 *
 * @author mqttboot
 */
final class DeadlineSweeper {

	private static final long MIN_RESOLUTION_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

	private static final long MAX_RESOLUTION_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

	private final Queue<Deadline> deadlines = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean scheduled = new AtomicBoolean();

	private volatile long resolutionNanos = MAX_RESOLUTION_NANOS;

	/**
	 * Fail the future with a {@link TimeoutException} unless it completes within the
	 * timeout.
	 * @param future the future
	 * @param timeoutNanos the timeout
	 * @return the future
	 */
	<T> CompletableFuture<T> add(CompletableFuture<T> future, long timeoutNanos) {
		long resolution = Math.min(MAX_RESOLUTION_NANOS, Math.max(MIN_RESOLUTION_NANOS, timeoutNanos / 10));
		if (resolution < this.resolutionNanos) {
			this.resolutionNanos = resolution;
		}
		this.deadlines.add(new Deadline(future, System.nanoTime() + timeoutNanos));
		if (!this.scheduled.get() && this.scheduled.compareAndSet(false, true)) {
			schedule();
		}
		return future;
	}

	/**
	 * Return how many futures are watched (including completed ones not swept yet).
	 * @return the number of futures
	 */
	int size() {
		return this.deadlines.size();
	}

	private void schedule() {
		CompletableFuture.delayedExecutor(this.resolutionNanos, TimeUnit.NANOSECONDS).execute(this::sweep);
	}

	private void sweep() {
		try {
			long now = System.nanoTime();
			for (Iterator<Deadline> iterator = this.deadlines.iterator(); iterator.hasNext();) {
				Deadline deadline = iterator.next();
				if (deadline.future().isDone()) {
					iterator.remove();
				}
				else if (now - deadline.nanoTime() >= 0) {
					iterator.remove();
					deadline.future().completeExceptionally(new TimeoutException());
				}
			}
		}
		finally {
			this.scheduled.set(false);
			if (!this.deadlines.isEmpty() && this.scheduled.compareAndSet(false, true)) {
				schedule();
			}
		}
	}

	private record Deadline(CompletableFuture<?> future, long nanoTime) {

	}

}
