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
package io.mqttboot.connection;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the connect thread of a failed attempt of one Paho client ({@code "MQTT Con:
 * <client id>"}) from sending its CONNECT on the connection of a later attempt: a second
 * CONNECT on one connection is a protocol violation, the broker closes the connection,
 * and what is published meanwhile is lost to a clean session.
 * <p>
 * Paho 1.2.5's connect thread opens the socket, then starts the receiver, sender and
 * callback threads, each time polling every 100 ms, in a loop that ignores interrupts,
 * until the new thread runs, and only then queues the CONNECT. When the broker closes
 * the socket in that window (a broker that shuts down or starts accepts connections and
 * closes them), the attempt fails while the thread still polls. One that polls for the
 * receiver or sender it started, which the failure stopped, polls forever and never
 * sends. One that polls for the callback, which all connections of the client share,
 * goes on as soon as the next attempt starts it, and queues its CONNECT on that
 * attempt's connection.
 * <p>
 * {@link #release()} runs before every attempt. Usually no connect thread of the client
 * is alive and it returns at once. Otherwise it starts the callback for those that poll
 * for it, wakes them, waits until they have queued their CONNECT, and drops it; it waits
 * (bounded) for those on their way there, and remembers those that poll forever, so that
 * they cost nothing later. It reaches into Paho's internals (there is no public way to
 * start the callback); if they change, it logs at DEBUG level and does nothing.
 *
 * @author mqttboot
 */
final class StaleConnectThreads {

	private static final Log logger = LogFactory.getLog(StaleConnectThreads.class);

	// How long an attempt may be held up by threads of earlier attempts on their way; a
	// thread woken from Paho's poll needs microseconds
	private static final Duration TIMEOUT = Duration.ofMillis(300);

	private static final long JOIN_STEP_MILLIS = 5;

	private final String clientId;

	private final String threadName;

	private final Supplier<Object> pahoClient;

	// Threads that poll forever for a receiver or sender that will never run
	private final Set<Thread> pollingForever = Collections.newSetFromMap(new WeakHashMap<>());

	/**
	 * Create an instance for one Paho client.
	 * @param clientId the client id
	 * @param pahoClient the Paho client ({@code MqttAsyncClient} of MQTT 5 or 3.x)
	 */
	StaleConnectThreads(String clientId, Supplier<Object> pahoClient) {
		this.clientId = clientId;
		this.threadName = "MQTT Con: " + clientId;
		this.pahoClient = pahoClient;
	}

	/**
	 * Release the connect threads of earlier attempts that would send their CONNECT on
	 * the next connection, and drop what they queued. To be called before each attempt,
	 * while the client is neither connected nor connecting.
	 */
	void release() {
		if (this.clientId.isEmpty()) {
			// The broker assigns the id: the thread name tells no client from another
			return;
		}
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		List<Thread> waiting = waitingThreads();
		if (waiting.isEmpty()) {
			return;
		}
		try {
			Paho paho = new Paho(this.pahoClient.get());
			while (!waiting.isEmpty() && System.nanoTime() < deadline) {
				for (Thread thread : waiting) {
					Poll poll = Poll.of(thread);
					if (poll == Poll.CALLBACK) {
						paho.startCallback(this.clientId, deadline);
					}
					else if (poll != Poll.NONE && !paho.willRun(poll)) {
						this.pollingForever.add(thread);
						continue;
					}
					if (poll != Poll.NONE) {
						// Paho's poll swallows the interrupt and looks again at once
						thread.interrupt();
					}
					// Briefly: it may move on to the next poll, and is looked at again
					thread.join(JOIN_STEP_MILLIS);
				}
				waiting = waitingThreads();
			}
			for (Thread thread : waiting) {
				// Still polling for its receiver or sender after the wait: it never ends
				Poll poll = Poll.of(thread);
				if (poll == Poll.RECEIVER || poll == Poll.SENDER) {
					this.pollingForever.add(thread);
				}
			}
			// What they queued must not go out on the next connection (the next attempt
			// puts its own CONNECT first, and the sender sends every CONNECT it finds)
			paho.dropQueuedConnects();
			if (logger.isDebugEnabled()) {
				logger.debug("Released the connect threads of earlier attempts of client id '" + this.clientId + "' in "
						+ TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - deadline + TIMEOUT.toNanos()) + " ms ("
						+ this.pollingForever.size() + " polling forever)");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			logger.debug("Could not release the connect threads of earlier attempts of client id '" + this.clientId
					+ "'", ex);
		}
	}

	// Alive connect threads of the client, other than those known to poll forever
	private List<Thread> waitingThreads() {
		List<Thread> found = new ArrayList<>();
		for (Thread thread : PahoConnectThread.all(this.threadName)) {
			if (thread != Thread.currentThread() && thread.isAlive() && !this.pollingForever.contains(thread)) {
				found.add(thread);
			}
		}
		return found;
	}

	/**
	 * Which of Paho's start polls a connect thread is in.
	 */
	private enum Poll {

		CALLBACK, RECEIVER, SENDER, NONE;

		static Poll of(Thread thread) {
			for (StackTraceElement element : thread.getStackTrace()) {
				if ("start".equals(element.getMethodName())) {
					String className = element.getClassName();
					switch (className.substring(className.lastIndexOf('.') + 1)) {
						case "CommsCallback":
							return CALLBACK;
						case "CommsReceiver":
							return RECEIVER;
						case "CommsSender":
							return SENDER;
						default:
							break;
					}
				}
			}
			return NONE;
		}

	}

	/**
	 * The parts of Paho's client (same names in MQTT 5 and 3.x) that the release uses.
	 */
	private static final class Paho {

		private final Object comms;

		private final Object callback;

		private final Object clientState;

		private boolean callbackStarted;

		Paho(Object client) throws ReflectiveOperationException {
			this.comms = require(client, "comms");
			this.callback = require(this.comms, "callback");
			this.clientState = require(this.comms, "clientState");
		}

		// Start the callback, as the next attempt would, and wait until it runs: Paho's
		// start polls without bound, so it is called on a thread of its own
		void startCallback(String clientId, long deadline) throws ReflectiveOperationException {
			if (this.callbackStarted) {
				return;
			}
			this.callbackStarted = true;
			// Open for their CONNECT, as the next attempt does first anyway: closed, it
			// fails their send, and they shut the client down once more
			Object tokenStore = require(this.comms, "tokenStore");
			tokenStore.getClass().getMethod("open").invoke(tokenStore);
			Method start = this.callback.getClass().getMethod("start", String.class, ExecutorService.class);
			Thread starter = new Thread(() -> {
				try {
					start.invoke(this.callback, "MQTT Call: " + clientId, null);
				}
				catch (ReflectiveOperationException ex) {
					logger.debug("Could not start the callback of client id '" + clientId + "'", ex);
				}
			}, "mqtt-callback-start-" + clientId);
			starter.setDaemon(true);
			starter.start();
			Method isRunning = this.callback.getClass().getMethod("isRunning");
			while (!Boolean.TRUE.equals(isRunning.invoke(this.callback)) && System.nanoTime() < deadline) {
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
			}
		}

		// Whether the receiver or sender a thread polls for will run: one that the
		// failure stopped never runs again (only its connect thread starts it, once)
		boolean willRun(Poll poll) throws ReflectiveOperationException {
			Object worker = get(this.comms, (poll == Poll.RECEIVER) ? "receiver" : "sender");
			if (worker == null) {
				return false;
			}
			if (Boolean.TRUE.equals(worker.getClass().getMethod("isRunning").invoke(worker))) {
				return true;
			}
			return !"STOPPED".equals(String.valueOf(get(worker, "target_state")));
		}

		void dropQueuedConnects() throws ReflectiveOperationException {
			if (get(this.clientState, "pendingFlows") instanceof Collection<?> flows) {
				flows.removeIf((message) -> message.getClass().getSimpleName().equals("MqttConnect"));
			}
		}

		private static Object require(Object target, String name) throws ReflectiveOperationException {
			Object value = get(target, name);
			if (value == null) {
				throw new NoSuchFieldException(name + " is null");
			}
			return value;
		}

		private static @Nullable Object get(Object target, String name) throws ReflectiveOperationException {
			for (Class<?> type = target.getClass(); type != null; type = type.getSuperclass()) {
				try {
					Field field = type.getDeclaredField(name);
					field.setAccessible(true);
					return field.get(target);
				}
				catch (NoSuchFieldException ex) {
					// look in the superclass
				}
			}
			throw new NoSuchFieldException(name);
		}

	}

}
