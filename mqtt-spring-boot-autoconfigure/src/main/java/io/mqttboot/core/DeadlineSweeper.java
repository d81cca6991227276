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

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Expires operations that are not done by their deadline, like
 * {@link CompletableFuture#orTimeout}, but with one sweep over the pending operations
 * every few milliseconds while there are any, instead of a task scheduled and cancelled
 * on a timer for every publish. Adding an operation appends it to an array under a lock
 * that the sweep holds only to swap the array for a new one. An operation expires
 * about one resolution (a tenth of the shortest timeout seen, between 1 and 50 ms) after
 * its deadline, on the starter's one timer thread ({@value #TIMER_THREAD_NAME}), which
 * must never block. Operations stay referenced until the sweep after they are done: they
 * should drop their large state (payloads) when done.
 *
 * @author mqttboot
 */
final class DeadlineSweeper {

	/**
	 * The name of the timer thread.
	 */
	static final String TIMER_THREAD_NAME = "mqtt-template-timer";

	private static final Log logger = LogFactory.getLog(DeadlineSweeper.class);

	private static final ScheduledExecutorService timer = createTimer();

	private static final long MIN_RESOLUTION_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

	private static final long MAX_RESOLUTION_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

	private final Object lock = new Object();

	// Added since the last sweep, which swaps it for an empty one. Guarded by lock.
	private Entries added = new Entries();

	private boolean scheduled;

	// Not done at the last sweep. Guarded by lock (read by size(), replaced by the sweep).
	private Entries pending = new Entries();

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
		long deadline = System.nanoTime() + timeoutNanos;
		boolean schedule;
		synchronized (this.lock) {
			this.added.add(operation, deadline);
			schedule = !this.scheduled;
			this.scheduled = true;
		}
		if (schedule) {
			schedule();
		}
	}

	/**
	 * Return how many operations are watched (including done ones not swept yet).
	 * @return the number of operations
	 */
	int size() {
		synchronized (this.lock) {
			return this.added.size + this.pending.size;
		}
	}

	/**
	 * Run a short, non-blocking task on the timer thread after a delay.
	 * @param task the task
	 * @param delayNanos the delay
	 */
	static void schedule(Runnable task, long delayNanos) {
		timer.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
	}

	/**
	 * Return whether the current thread is the timer thread (which must not block).
	 * @return whether this is the timer thread
	 */
	static boolean onTimerThread() {
		return TIMER_THREAD_NAME.equals(Thread.currentThread().getName());
	}

	private void schedule() {
		schedule(this::sweep, this.resolutionNanos);
	}

	// One daemon thread for all templates, created with the first template, never shut
	// down (like the timer behind CompletableFuture.orTimeout): nothing to close.
	private static ScheduledExecutorService createTimer() {
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, TIMER_THREAD_NAME);
			thread.setDaemon(true);
			return thread;
		});
		executor.setRemoveOnCancelPolicy(true);
		return executor;
	}

	private void sweep() {
		Entries batch;
		Entries pending;
		synchronized (this.lock) {
			batch = this.added;
			this.added = new Entries();
			pending = this.pending;
		}
		long now = System.nanoTime();
		Entries next = new Entries();
		keepPending(pending, now, next);
		keepPending(batch, now, next);
		boolean again;
		synchronized (this.lock) {
			this.pending = next;
			again = next.size > 0 || this.added.size > 0;
			this.scheduled = again;
		}
		if (again) {
			schedule();
		}
	}

	// Expire the overdue operations of 'entries' and copy those still pending to 'next'.
	private static void keepPending(Entries entries, long now, Entries next) {
		for (int i = 0; i < entries.size; i++) {
			Expirable operation = entries.operations[i];
			if (operation.isDone()) {
				continue;
			}
			if (now - entries.deadlines[i] >= 0) {
				expire(operation);
			}
			else {
				next.add(operation, entries.deadlines[i]);
			}
		}
	}

	private static void expire(Expirable operation) {
		try {
			operation.expire();
		}
		catch (Throwable ex) {
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

	/**
	 * Operations and their deadlines, in two arrays: no allocation per operation. A
	 * sweep starts new ones, so that the arrays grown in a burst are dropped after it.
	 */
	private static final class Entries {

		private Expirable[] operations = new Expirable[64];

		private long[] deadlines = new long[64];

		private int size;

		void add(Expirable operation, long deadline) {
			if (this.size == this.operations.length) {
				this.operations = Arrays.copyOf(this.operations, this.size * 2);
				this.deadlines = Arrays.copyOf(this.deadlines, this.size * 2);
			}
			this.operations[this.size] = operation;
			this.deadlines[this.size] = deadline;
			this.size++;
		}

	}

}
