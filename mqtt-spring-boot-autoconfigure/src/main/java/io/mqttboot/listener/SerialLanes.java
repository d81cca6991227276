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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.task.TaskExecutor;

/**
 * Runs the tasks of one listener on a fixed number of serial lanes: tasks with the same
 * key (the topic) go to the same lane and run one after the other in submission order;
 * tasks on different lanes run in parallel. Each lane is a queue with one worker that
 * takes a thread from the {@link TaskExecutor} when the lanes are first started and keeps
 * it (named after the listener) until {@link #close()}. Starts paused: tasks queue until
 * {@link #start()}.
 * <p>
 * The queue is a {@link LinkedTransferQueue}: adding a task is lock-free, so the
 * submitting thread (Paho's callback thread) never waits for a lock a worker holds.
 *
 * @author mqttboot
 */
final class SerialLanes {

	private static final Log logger = LogFactory.getLog(SerialLanes.class);

	private final TaskExecutor executor;

	private final Lane[] lanes;

	/**
	 * Tasks queued or running.
	 */
	private final AtomicInteger pending = new AtomicInteger();

	private final AtomicInteger idleWaiters = new AtomicInteger();

	private final Object monitor = new Object();

	private volatile boolean started;

	private volatile boolean closed;

	/**
	 * Create lanes.
	 * @param executor the executor the workers run on: it must give each of them a
	 * thread of its own, for as long as they run
	 * @param name the name of the workers' threads (with {@code -<lane>} appended when
	 * there are several lanes)
	 * @param concurrency the number of lanes
	 */
	SerialLanes(TaskExecutor executor, String name, int concurrency) {
		if (concurrency < 1) {
			throw new IllegalArgumentException("'concurrency' must be positive, not " + concurrency);
		}
		this.executor = executor;
		this.lanes = new Lane[concurrency];
		for (int i = 0; i < concurrency; i++) {
			this.lanes[i] = new Lane((concurrency > 1) ? name + "-" + i : name);
		}
	}

	/**
	 * Return the number of lanes.
	 * @return the number of lanes
	 */
	int getConcurrency() {
		return this.lanes.length;
	}

	/**
	 * Queue a task on the lane of its key. Once closed, the task is dropped.
	 * @param key the key: tasks with equal keys run in order
	 * @param task the task
	 */
	void execute(String key, Runnable task) {
		if (this.closed) {
			return;
		}
		this.pending.incrementAndGet();
		lane(key).queue.add(task);
	}

	/**
	 * Queue a task on the lane of its key unless {@code limit} tasks (of any lane) are
	 * queued or running already.
	 * @param key the key: tasks with equal keys run in order
	 * @param task the task
	 * @param limit the most tasks that may be queued or running
	 * @return whether the task was queued (always {@code false} once closed)
	 */
	boolean execute(String key, Runnable task, int limit) {
		if (this.closed) {
			return false;
		}
		int current;
		do {
			current = this.pending.get();
			if (current >= limit) {
				return false;
			}
		}
		while (!this.pending.compareAndSet(current, current + 1));
		lane(key).queue.add(task);
		return true;
	}

	private Lane lane(String key) {
		Lane[] lanes = this.lanes;
		return (lanes.length == 1) ? lanes[0] : lanes[Math.floorMod(key.hashCode(), lanes.length)];
	}

	/**
	 * Return the number of tasks queued or running.
	 * @return the number of pending tasks
	 */
	int getPending() {
		return this.pending.get();
	}

	/**
	 * Start running queued and future tasks. Does nothing if started or closed.
	 */
	void start() {
		synchronized (this.monitor) {
			if (this.started || this.closed) {
				return;
			}
			this.started = true;
		}
		for (Lane lane : this.lanes) {
			try {
				this.executor.execute(lane::work);
			}
			catch (RuntimeException ex) {
				logger.warn("The MQTT listener executor refused the worker '" + lane.name + "'; dropping "
						+ this.pending.get() + " queued message(s) of its listener", ex);
				close();
				return;
			}
		}
	}

	/**
	 * Return whether tasks run (as opposed to queue).
	 * @return whether the lanes were started
	 */
	boolean isStarted() {
		return this.started;
	}

	/**
	 * Wait until no task runs and, unless not started, none is queued.
	 * @param timeout how long to wait at most
	 * @return whether the lanes are idle
	 */
	boolean awaitIdle(Duration timeout) {
		if (isIdle()) {
			return true;
		}
		long deadline = System.nanoTime() + timeout.toNanos();
		this.idleWaiters.incrementAndGet();
		try {
			synchronized (this.monitor) {
				while (!isIdle()) {
					long remaining = deadline - System.nanoTime();
					if (remaining <= 0) {
						return false;
					}
					this.monitor.wait(Math.max(1, remaining / 1_000_000));
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
		// Not started: no task has run, queued ones wait for start()
		return !this.started || this.closed || this.pending.get() == 0;
	}

	/**
	 * Stop the workers (interrupting the tasks they run) and drop the queued tasks.
	 */
	void close() {
		this.closed = true;
		for (Lane lane : this.lanes) {
			lane.close();
		}
		this.pending.set(0);
		notifyIdle();
	}

	private void done() {
		if (this.closed) {
			return;
		}
		if (this.pending.decrementAndGet() == 0 && this.idleWaiters.get() > 0) {
			notifyIdle();
		}
	}

	private void notifyIdle() {
		synchronized (this.monitor) {
			this.monitor.notifyAll();
		}
	}

	/**
	 * One queue and its worker.
	 */
	private final class Lane {

		private final String name;

		private final BlockingQueue<Runnable> queue = new LinkedTransferQueue<>();

		private volatile @Nullable Thread worker;

		Lane(String name) {
			this.name = name;
		}

		void work() {
			Thread thread = Thread.currentThread();
			String previousName = thread.getName();
			thread.setName(this.name);
			// Published before closed is read: close() either sees this thread and
			// interrupts it, or this loop sees closed
			this.worker = thread;
			try {
				while (!SerialLanes.this.closed) {
					Runnable task;
					try {
						task = this.queue.take();
					}
					catch (InterruptedException ex) {
						continue;
					}
					run(task);
				}
			}
			finally {
				this.worker = null;
				thread.setName(previousName);
			}
		}

		private void run(Runnable task) {
			try {
				task.run();
			}
			catch (Throwable ex) {
				logger.error("Unexpected failure of an MQTT listener task", ex);
			}
			finally {
				// An interrupt a task left behind must not stop the worker (only
				// close() does)
				Thread.interrupted();
				done();
			}
		}

		void close() {
			this.queue.clear();
			Thread worker = this.worker;
			if (worker != null) {
				worker.interrupt();
			}
		}

	}

}
