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

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Bounds the publishes in flight (sent or queued in Paho, not yet acknowledged) so that
 * Paho never refuses one with "too many publishes in progress". A publisher either
 * blocks for a slot, with a deadline, or, when it must not block (on Paho's callback
 * thread, which completes the publishes that free the slots), is deferred: its task runs
 * when a slot frees. The limit is read on every acquisition, as the server's Receive
 * Maximum can change on a reconnect.
 * <p>
 * While nobody waits, taking and freeing a slot is one compare-and-set: the lock is only
 * used by publishers that wait and by the release that wakes them.
 *
 * @author mqttboot
 */
final class InflightWindow {

	private static final Log logger = LogFactory.getLog(InflightWindow.class);

	private static final long MAX_WAIT_SLICE = TimeUnit.MILLISECONDS.toNanos(100);

	private final AtomicInteger used = new AtomicInteger();

	/**
	 * Blocked publishers plus deferred tasks. Incremented before a waiter looks for a
	 * slot and read by every release after it freed one, so that no waiter misses a
	 * slot.
	 */
	private final AtomicInteger waiting = new AtomicInteger();

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition released = this.lock.newCondition();

	private final Deque<Runnable> deferred = new ArrayDeque<>();

	private final ThreadLocal<@Nullable Deque<Runnable>> draining = new ThreadLocal<>();

	private final IntSupplier limit;

	/**
	 * Create a window.
	 * @param limit supplies the current limit (values below 1 count as 1)
	 */
	InflightWindow(IntSupplier limit) {
		this.limit = limit;
	}

	/**
	 * Take a slot, waiting at most {@code timeoutNanos} for one.
	 * @param timeoutNanos the longest wait
	 * @return whether a slot was taken
	 * @throws InterruptedException if interrupted while waiting
	 */
	boolean acquire(long timeoutNanos) throws InterruptedException {
		if (this.waiting.get() == 0 && tryTake()) {
			return true;
		}
		long remaining = timeoutNanos;
		this.lock.lockInterruptibly();
		this.waiting.incrementAndGet();
		try {
			while (!tryTake()) {
				if (remaining <= 0) {
					return false;
				}
				long slice = Math.min(remaining, MAX_WAIT_SLICE);
				remaining -= slice - this.released.awaitNanos(slice);
			}
			return true;
		}
		finally {
			this.waiting.decrementAndGet();
			this.lock.unlock();
		}
	}

	/**
	 * Take a slot now if there is one, or else queue the task to run (holding a slot)
	 * when one frees.
	 * @param task the task, run on the thread that frees a slot
	 * @return {@code true} if a slot was taken now (the task is not run), {@code false}
	 * if the task was deferred
	 */
	boolean acquireOrDefer(Runnable task) {
		this.lock.lock();
		try {
			this.waiting.incrementAndGet();
			if (this.deferred.isEmpty() && tryTake()) {
				this.waiting.decrementAndGet();
				return true;
			}
			this.deferred.addLast(task);
			return false;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Remove a deferred task that has not run yet.
	 * @param task the task
	 * @return whether it was removed (and will not run)
	 */
	boolean cancel(Runnable task) {
		this.lock.lock();
		try {
			boolean removed = this.deferred.remove(task);
			if (removed) {
				this.waiting.decrementAndGet();
			}
			return removed;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Free a slot: hand it to the first deferred task, if any, or else to a blocked
	 * publisher.
	 */
	void release() {
		this.used.decrementAndGet();
		if (this.waiting.get() == 0) {
			return;
		}
		Runnable next = pollDeferred();
		if (next == null) {
			return;
		}
		// A deferred task that fails at once releases again: run those in a loop, not
		// recursively.
		Deque<Runnable> pending = this.draining.get();
		if (pending != null) {
			pending.addLast(next);
			return;
		}
		pending = new ArrayDeque<>();
		this.draining.set(pending);
		try {
			while (next != null) {
				run(next);
				next = pending.pollFirst();
			}
		}
		finally {
			this.draining.remove();
		}
	}

	// The caller may be Paho's callback thread: nothing may escape.
	private static void run(Runnable task) {
		try {
			task.run();
		}
		catch (Throwable ex) {
			logger.error("A publish waiting for room in the in-flight window failed", ex);
		}
	}

	/**
	 * Return the number of slots in use.
	 * @return the slots in use
	 */
	int used() {
		return this.used.get();
	}

	private @Nullable Runnable pollDeferred() {
		this.lock.lock();
		try {
			if (!this.deferred.isEmpty() && tryTake()) {
				this.waiting.decrementAndGet();
				return this.deferred.pollFirst();
			}
			this.released.signal();
			return null;
		}
		finally {
			this.lock.unlock();
		}
	}

	private boolean tryTake() {
		int max = Math.max(1, this.limit.getAsInt());
		int current;
		do {
			current = this.used.get();
			if (current >= max) {
				return false;
			}
		}
		while (!this.used.compareAndSet(current, current + 1));
		return true;
	}

}
