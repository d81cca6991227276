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
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Runs tasks one after the other, in submission order, so that one listener sees its
 * messages in broker order. The tasks run on one worker that this executor takes from
 * a shared pool when it is first resumed and keeps (named after the listener) until the
 * pool shuts down. Handing a task over takes no lock: the submitting thread (Paho's
 * callback thread) adds it to a lock-free queue and wakes the worker only if it is
 * parked and no other submitter woke it already. Starts paused: tasks queue until
 * {@link #resume()}.
 *
 * @author mqttboot
 */
final class SerialExecutor implements Executor {

	private static final Log logger = LogFactory.getLog(SerialExecutor.class);

	private final ExecutorService executor;

	private final String threadName;

	private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

	/**
	 * Tasks queued or running.
	 */
	private final AtomicInteger pending = new AtomicInteger();

	private final AtomicBoolean workerStarted = new AtomicBoolean();

	private final AtomicInteger idleWaiters = new AtomicInteger();

	private final Object idleMonitor = new Object();

	private volatile boolean paused = true;

	private volatile @Nullable Thread worker;

	// Set by the worker before it parks; cleared by the one submitter that unparks it, so
	// that further submitters do not wake it again before it runs.
	private final AtomicBoolean parked = new AtomicBoolean();

	SerialExecutor(ExecutorService executor, String threadName) {
		this.executor = executor;
		this.threadName = threadName;
	}

	@Override
	public void execute(Runnable task) {
		this.pending.incrementAndGet();
		this.tasks.add(task);
		signalWorker();
	}

	/**
	 * Queue a task unless {@code limit} tasks are queued or running already.
	 * @param task the task
	 * @param limit the most tasks that may be queued or running
	 * @return whether the task was queued
	 */
	boolean execute(Runnable task, int limit) {
		int current;
		do {
			current = this.pending.get();
			if (current >= limit) {
				return false;
			}
		}
		while (!this.pending.compareAndSet(current, current + 1));
		this.tasks.add(task);
		signalWorker();
		return true;
	}

	/**
	 * Start running queued and future tasks.
	 */
	void resume() {
		this.paused = false;
		signalWorker();
	}

	/**
	 * Return whether tasks run (as opposed to queue).
	 * @return whether this executor was resumed
	 */
	boolean isResumed() {
		return !this.paused;
	}

	/**
	 * Wait until no task runs and, unless paused, none is queued.
	 * @param timeout how long to wait at most
	 * @return whether this executor is idle
	 */
	boolean awaitIdle(Duration timeout) {
		if (isIdle()) {
			return true;
		}
		long deadline = System.nanoTime() + timeout.toNanos();
		this.idleWaiters.incrementAndGet();
		try {
			synchronized (this.idleMonitor) {
				while (!isIdle()) {
					long remaining = deadline - System.nanoTime();
					if (remaining <= 0) {
						return false;
					}
					this.idleMonitor.wait(Math.max(1, remaining / 1_000_000));
				}
				return true;
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		finally {
			this.idleWaiters.decrementAndGet();
		}
	}

	private boolean isIdle() {
		// Paused only before the first resume(): no task has run then.
		return this.paused || this.pending.get() == 0;
	}

	private void signalWorker() {
		if (this.paused) {
			return;
		}
		Thread worker = this.worker;
		if (worker != null) {
			if (this.parked.get() && this.parked.compareAndSet(true, false)) {
				LockSupport.unpark(worker);
			}
		}
		else if (this.workerStarted.compareAndSet(false, true)) {
			try {
				this.executor.execute(this::work);
			}
			catch (RejectedExecutionException ex) {
				logger.debug("Listener executor is shut down; dropping " + this.pending.get() + " queued message(s)");
				drop();
			}
		}
		// else: the worker is starting and looks at the queue before it first parks.
	}

	private void work() {
		Thread thread = Thread.currentThread();
		String name = thread.getName();
		thread.setName(this.threadName);
		this.worker = thread;
		try {
			while (true) {
				if (this.executor.isShutdown()) {
					// The pool shuts down (it interrupts this thread): queued tasks are
					// dropped.
					drop();
					return;
				}
				Runnable task = (this.paused) ? null : this.tasks.poll();
				if (task != null) {
					run(task);
					continue;
				}
				// Announce the park, then look again: a task queued in between is seen
				// here, or its submitter sees the flag and unparks this thread.
				this.parked.set(true);
				if (!this.paused && !this.tasks.isEmpty()) {
					this.parked.set(false);
					continue;
				}
				LockSupport.park(this);
				this.parked.set(false);
				Thread.interrupted();
			}
		}
		finally {
			this.worker = null;
			this.workerStarted.set(false);
			thread.setName(name);
		}
	}

	private void run(Runnable task) {
		try {
			task.run();
		}
		catch (Throwable ex) {
			logger.error("Unexpected failure of an MQTT listener task", ex);
		}
		// An interrupt a listener left behind must not stop the worker (only a shutdown
		// of the pool does).
		Thread.interrupted();
		if (this.pending.decrementAndGet() == 0 && this.idleWaiters.get() > 0) {
			notifyIdle();
		}
	}

	private void drop() {
		this.tasks.clear();
		this.pending.set(0);
		notifyIdle();
	}

	private void notifyIdle() {
		synchronized (this.idleMonitor) {
			this.idleMonitor.notifyAll();
		}
	}

}
