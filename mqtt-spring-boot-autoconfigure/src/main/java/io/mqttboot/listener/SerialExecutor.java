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
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Runs tasks one after the other, in submission order, so that one listener sees its
 * messages in broker order. The tasks run on one worker that this executor takes from
 * a shared pool when it is first resumed and keeps (named after the listener) until the
 * pool shuts down: handing a message to an idle listener then costs a wake-up, not a
 * thread hand-off. Starts paused: tasks queue until {@link #resume()}.
 *
 * @author mqttboot
 */
final class SerialExecutor implements Executor {

	private static final Log logger = LogFactory.getLog(SerialExecutor.class);

	private final Executor executor;

	private final String threadName;

	private final Deque<Runnable> tasks = new ArrayDeque<>();

	private final Object monitor = new Object();

	private boolean paused = true;

	private boolean active;

	private boolean workerStarted;

	private boolean workerWaiting;

	SerialExecutor(Executor executor, String threadName) {
		this.executor = executor;
		this.threadName = threadName;
	}

	@Override
	public void execute(Runnable task) {
		synchronized (this.monitor) {
			this.tasks.add(task);
			wakeWorker();
		}
	}

	/**
	 * Queue a task unless the queue already holds {@code limit} tasks.
	 * @param task the task
	 * @param limit the most tasks the queue may hold
	 * @return whether the task was queued
	 */
	boolean execute(Runnable task, int limit) {
		synchronized (this.monitor) {
			if (this.tasks.size() >= limit) {
				return false;
			}
			this.tasks.add(task);
			wakeWorker();
			return true;
		}
	}

	/**
	 * Start running queued and future tasks.
	 */
	void resume() {
		synchronized (this.monitor) {
			this.paused = false;
			wakeWorker();
		}
	}

	/**
	 * Return whether tasks run (as opposed to queue).
	 * @return whether this executor was resumed
	 */
	boolean isResumed() {
		synchronized (this.monitor) {
			return !this.paused;
		}
	}

	/**
	 * Wait until no task runs and, unless paused, none is queued.
	 * @param timeout how long to wait at most
	 * @return whether this executor is idle
	 */
	boolean awaitIdle(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.monitor) {
			while (!isIdle()) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					return false;
				}
				try {
					this.monitor.wait(Math.max(1, remaining / 1_000_000));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return false;
				}
			}
			return true;
		}
	}

	private boolean isIdle() {
		return !this.active && (this.paused || this.tasks.isEmpty());
	}

	private boolean hasWork() {
		return !this.paused && !this.tasks.isEmpty();
	}

	private void wakeWorker() {
		if (!hasWork()) {
			return;
		}
		if (!this.workerStarted) {
			this.workerStarted = true;
			try {
				this.executor.execute(this::work);
			}
			catch (RejectedExecutionException ex) {
				logger.debug("Listener executor is shut down; dropping " + this.tasks.size() + " queued message(s)");
				this.tasks.clear();
				this.monitor.notifyAll();
			}
		}
		else if (this.workerWaiting) {
			this.monitor.notifyAll();
		}
	}

	private void work() {
		Thread thread = Thread.currentThread();
		String name = thread.getName();
		thread.setName(this.threadName);
		try {
			while (true) {
				Runnable task;
				synchronized (this.monitor) {
					while (!hasWork()) {
						this.active = false;
						this.monitor.notifyAll();
						this.workerWaiting = true;
						try {
							this.monitor.wait();
						}
						finally {
							this.workerWaiting = false;
						}
					}
					task = this.tasks.poll();
					this.active = true;
				}
				try {
					task.run();
				}
				catch (Throwable ex) {
					logger.error("Unexpected failure of an MQTT listener task", ex);
				}
			}
		}
		catch (InterruptedException ex) {
			// The pool shuts down: queued tasks are dropped.
			synchronized (this.monitor) {
				this.active = false;
				this.tasks.clear();
				this.monitor.notifyAll();
			}
		}
		finally {
			thread.setName(name);
		}
	}

}
