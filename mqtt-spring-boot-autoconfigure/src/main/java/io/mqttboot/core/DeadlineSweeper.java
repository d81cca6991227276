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
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Expires operations that are not done by their deadline, like
 * {@link CompletableFuture#orTimeout}, but with one sweep over the pending operations
 * every few milliseconds while there are any, instead of a task scheduled and cancelled
 * on a shared timer for every publish. An operation expires at most one resolution (a
 * tenth of its timeout, between 1 and 50 ms) after its deadline, on a thread of the
 * common fork-join pool. Operations stay referenced until the sweep after they are done:
 * they should drop their large state (payloads) when done.
 *
 * @author mqttboot
 */
final class DeadlineSweeper {

	private static final Log logger = LogFactory.getLog(DeadlineSweeper.class);

	private static final long MIN_RESOLUTION_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

	private static final long MAX_RESOLUTION_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

	private final Queue<Deadline> deadlines = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean scheduled = new AtomicBoolean();

	private volatile long resolutionNanos = MAX_RESOLUTION_NANOS;

	/**
	 * Expire an operation unless it is done within the timeout.
	 * @param operation the operation
	 * @param timeoutNanos the timeout
	 */
	void add(Expirable operation, long timeoutNanos) {
		long resolution = Math.min(MAX_RESOLUTION_NANOS, Math.max(MIN_RESOLUTION_NANOS, timeoutNanos / 10));
		if (resolution < this.resolutionNanos) {
			this.resolutionNanos = resolution;
		}
		this.deadlines.add(new Deadline(operation, System.nanoTime() + timeoutNanos));
		if (!this.scheduled.get() && this.scheduled.compareAndSet(false, true)) {
			schedule();
		}
	}

	/**
	 * Return how many operations are watched (including done ones not swept yet).
	 * @return the number of operations
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
				if (deadline.operation().isDone()) {
					iterator.remove();
				}
				else if (now - deadline.nanoTime() >= 0) {
					iterator.remove();
					expire(deadline.operation());
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

	private static void expire(Expirable operation) {
		try {
			operation.expire();
		}
		catch (RuntimeException ex) {
			logger.warn("Could not expire " + operation, ex);
		}
	}

	/**
	 * An operation with a deadline.
	 */
	interface Expirable {

		/**
		 * Return whether the operation is done (it then never expires).
		 * @return whether it is done
		 */
		boolean isDone();

		/**
		 * Give up the operation: its deadline passed.
		 */
		void expire();

	}

	private record Deadline(Expirable operation, long nanoTime) {

	}

}
