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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Bounds the publishes in flight (sent or queued in Paho, not yet acknowledged) so that
 * Paho never refuses one with "too many publishes in progress": a {@link Semaphore} with
 * one permit per slot. A publisher either blocks for a slot, with a deadline, or, when it
 * must not block (on Paho's callback thread, which completes the publishes that free the
 * slots), is deferred: its task runs, holding a slot, on the thread that frees one,
 * which tries them before a blocked publisher wakes up.
 * <p>
 * The limit is read when the window is created and again when told that it changed
 * ({@link #limitChanged()}), as the server's Receive Maximum can change on a reconnect.
 * Publishes in flight above a lowered limit finish without being replaced.
 *
 * @author mqttboot
 */
final class InflightWindow {

	private static final Log logger = LogFactory.getLog(InflightWindow.class);

	private final Slots slots;

	private final IntSupplier limitSupplier;

	private final Object lock = new Object();

	// Guarded by lock.
	private final Deque<Runnable> deferred = new ArrayDeque<>();

	// The size of 'deferred', written under the lock; every release reads it after
	// freeing a slot and every deferral reads the free slots after queuing, so that no
	// deferred task misses a slot.
	private volatile int deferredCount;

	// Written under the lock.
	private volatile int limit;

	private final ThreadLocal<@Nullable Deque<Runnable>> draining = new ThreadLocal<>();

	/**
	 * Create a window.
	 * @param limit supplies the current limit (values below 1 count as 1), read now and
	 * on {@link #limitChanged()}
	 */
	InflightWindow(IntSupplier limit) {
		this.limitSupplier = limit;
		this.limit = Math.max(1, limit.getAsInt());
		this.slots = new Slots(this.limit);
	}

	/**
	 * Take a slot, waiting at most {@code timeoutNanos} for one.
	 * @param timeoutNanos the longest wait
	 * @return whether a slot was taken
	 * @throws InterruptedException if interrupted while waiting
	 */
	boolean acquire(long timeoutNanos) throws InterruptedException {
		return this.slots.tryAcquire(timeoutNanos, TimeUnit.NANOSECONDS);
	}

	/**
	 * Take a slot now if there is one, or else queue the task to run (holding a slot)
	 * when one frees.
	 * @param task the task, run on the thread that frees a slot
	 * @return {@code true} if a slot was taken now (the task is not run), {@code false}
	 * if the task was deferred
	 */
	boolean acquireOrDefer(Runnable task) {
		synchronized (this.lock) {
			if (this.deferred.isEmpty() && this.slots.tryAcquire()) {
				return true;
			}
			this.deferred.addLast(task);
			this.deferredCount = this.deferred.size();
		}
		if (this.slots.availablePermits() > 0) {
			// freed after the tryAcquire, by a release that did not see the task yet
			runDeferred();
		}
		return false;
	}

	/**
	 * Return whether tasks wait for a slot.
	 * @return whether there are deferred tasks
	 */
	boolean hasDeferred() {
		return this.deferredCount != 0;
	}

	/**
	 * Remove a deferred task that has not run yet.
	 * @param task the task
	 * @return whether it was removed (and will not run)
	 */
	boolean cancel(Runnable task) {
		synchronized (this.lock) {
			boolean removed = this.deferred.remove(task);
			this.deferredCount = this.deferred.size();
			return removed;
		}
	}

	/**
	 * Free a slot. The first deferred task, if any, takes it on this thread; else a
	 * blocked publisher does.
	 */
	void release() {
		this.slots.release();
		if (this.deferredCount != 0) {
			runDeferred();
		}
	}

	/**
	 * Read the limit again, for example after a reconnect.
	 */
	void limitChanged() {
		int added;
		synchronized (this.lock) {
			int limit = Math.max(1, this.limitSupplier.getAsInt());
			added = limit - this.limit;
			this.limit = limit;
			if (added < 0) {
				this.slots.reduce(-added);
			}
		}
		if (added > 0) {
			this.slots.release(added);
			runDeferred();
		}
	}

	/**
	 * Return the current limit.
	 * @return the limit
	 */
	int limit() {
		return this.limit;
	}

	/**
	 * Return the number of slots in use.
	 * @return the slots in use
	 */
	int used() {
		return this.limit - this.slots.availablePermits();
	}

	// Run deferred tasks while there are free slots for them.
	private void runDeferred() {
		Runnable next;
		while ((next = takeDeferred()) != null) {
			run(next);
		}
	}

	private @Nullable Runnable takeDeferred() {
		synchronized (this.lock) {
			if (this.deferred.isEmpty() || !this.slots.tryAcquire()) {
				return null;
			}
			Runnable next = this.deferred.pollFirst();
			this.deferredCount = this.deferred.size();
			return next;
		}
	}

	// A deferred task that fails at once releases again, which runs the next one: run
	// those in a loop, not recursively.
	private void run(Runnable task) {
		Deque<Runnable> pending = this.draining.get();
		if (pending != null) {
			pending.addLast(task);
			return;
		}
		pending = new ArrayDeque<>();
		this.draining.set(pending);
		try {
			Runnable next = task;
			while (next != null) {
				runSafely(next);
				next = pending.pollFirst();
			}
		}
		finally {
			this.draining.remove();
		}
	}

	// The caller may be Paho's callback thread: nothing may escape.
	private static void runSafely(Runnable task) {
		try {
			task.run();
		}
		catch (Throwable ex) {
			logger.error("A publish waiting for room in the in-flight window failed", ex);
		}
	}

	/**
	 * A semaphore whose permits can be taken away for a lowered limit (they can go
	 * below zero while more publishes than the new limit are in flight).
	 */
	private static final class Slots extends Semaphore {

		private static final long serialVersionUID = 1L;

		Slots(int permits) {
			super(permits);
		}

		void reduce(int reduction) {
			reducePermits(reduction);
		}

	}

}
