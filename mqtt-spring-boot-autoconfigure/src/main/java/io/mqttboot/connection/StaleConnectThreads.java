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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ExecutorService;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the connect thread of an earlier attempt of a Paho client
 * ({@code "MQTT Con: <client id>"}) from sending its CONNECT on the connection of a later
 * one: the second CONNECT on one connection is a protocol violation, and the broker
 * closes it (what is published on it meanwhile is lost to a clean session).
 * <p>
 * Paho 1.2.5's connect thread opens the socket, then starts the receiver, sender and
 * callback threads, waiting (in a loop that ignores interrupts) until each one runs, and
 * only then queues the CONNECT. When the broker closes the socket in that window (a
 * broker that shuts down or starts accepts connections and closes them), the receiver
 * shuts the connection down at once: the attempt fails and the starter may begin the
 * next one, while that thread still waits. One that waits for the receiver or sender it
 * started waits forever and sends nothing. One that waits for the callback, which is the
 * same for every connection, goes on as soon as the next attempt starts it, and queues
 * its CONNECT on the next connection, before or after the broker's CONNACK.
 * <p>
 * So before each attempt, {@link #release} starts the callback for such threads, waits
 * until they end, and drops the CONNECT they queued; it waits (bounded) for connect
 * threads that are still busy. It reaches into Paho's internals (there is no public way
 * to start the callback); if they change, it logs at DEBUG level and does nothing.
 *
 * @author mqttboot
 */
final class StaleConnectThreads {

	private static final Log logger = LogFactory.getLog(StaleConnectThreads.class);

	private static final Duration TIMEOUT = Duration.ofSeconds(2);

	private static final long POLL_MILLIS = 50;

	// Polls a thread must be seen waiting for its own receiver or sender (which start
	// within milliseconds) before it counts as waiting forever
	private static final int STUCK_POLLS = 6;

	// Threads seen waiting for their own receiver or sender, and how often
	private static final Map<Thread, Map<String, Integer>> WAITING_FOR_OWN_THREADS = new WeakHashMap<>();

	private StaleConnectThreads() {
	}

	/**
	 * Release the connect threads of earlier attempts of a client that would otherwise
	 * send their CONNECT on the next connection, and wait, at most two seconds, until no
	 * connect thread of the client is alive, other than those that wait forever (and
	 * never send).
	 * @param clientId the client id
	 * @param pahoClient the Paho client ({@code MqttAsyncClient} of MQTT 5 or 3.x), not
	 * connected nor connecting
	 */
	static void release(String clientId, Object pahoClient) {
		String name = "MQTT Con: " + clientId;
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			List<Thread> threads = find(name);
			List<Thread> waitingForCallback = new ArrayList<>();
			boolean busy = false;
			for (Thread thread : threads) {
				String waitingFor = waitingFor(thread);
				if ("CommsCallback".equals(waitingFor)) {
					waitingForCallback.add(thread);
				}
				else if (waitingFor != null && isStuck(thread, waitingFor)) {
					continue;
				}
				else {
					busy = true;
				}
			}
			if (!waitingForCallback.isEmpty()
					&& !releaseWaitingForCallback(clientId, pahoClient, waitingForCallback)) {
				return;
			}
			if (!busy && waitingForCallback.isEmpty()) {
				return;
			}
			try {
				Thread.sleep(POLL_MILLIS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	// Whether the thread was seen often enough waiting for the same one of its own
	// receiver or sender: one that runs is seen within 100 ms
	private static boolean isStuck(Thread thread, String waitingFor) {
		synchronized (WAITING_FOR_OWN_THREADS) {
			Map<String, Integer> polls = WAITING_FOR_OWN_THREADS.computeIfAbsent(thread, (key) -> new HashMap<>());
			return polls.merge(waitingFor, 1, Integer::sum) >= STUCK_POLLS;
		}
	}

	// Which of Paho's start loops the thread waits in: CommsCallback, CommsReceiver,
	// CommsSender, or null (it is doing something else)
	private static @Nullable String waitingFor(Thread thread) {
		for (StackTraceElement element : thread.getStackTrace()) {
			if ("start".equals(element.getMethodName())) {
				String className = element.getClassName();
				String simpleName = className.substring(className.lastIndexOf('.') + 1);
				if (simpleName.equals("CommsCallback") || simpleName.equals("CommsReceiver")
						|| simpleName.equals("CommsSender")) {
					return simpleName;
				}
			}
			if (element.getClassName().endsWith("ClientComms$ConnectBG")) {
				return null;
			}
		}
		return null;
	}

	private static boolean releaseWaitingForCallback(String clientId, Object pahoClient, List<Thread> threads) {
		try {
			Object comms = field(pahoClient.getClass(), "comms").get(pahoClient);
			Object callback = field(comms.getClass(), "callback").get(comms);
			Object clientState = field(comms.getClass(), "clientState").get(comms);
			Object tokenStore = field(comms.getClass(), "tokenStore").get(comms);
			if (callback == null || clientState == null || tokenStore == null) {
				return false;
			}
			// Open for their CONNECT, as the next attempt does first anyway: closed, it
			// fails their send, and they shut the connection down, stopping the callback
			// again
			tokenStore.getClass().getMethod("open").invoke(tokenStore);
			Method start = callback.getClass().getMethod("start", String.class, ExecutorService.class);
			// On a thread of its own: Paho's start waits, without bound, until the
			// callback runs
			Thread starter = new Thread(() -> {
				try {
					start.invoke(callback, "MQTT Call: " + clientId, null);
				}
				catch (ReflectiveOperationException ex) {
					logger.debug("Could not start the callback of client id '" + clientId + "'", ex);
				}
			}, "mqtt-release-" + clientId);
			starter.setDaemon(true);
			starter.start();
			for (Thread thread : threads) {
				thread.join(TIMEOUT.toMillis());
			}
			// What they queued must not go out on the next connection: drop it (the
			// next attempt puts its own CONNECT first, and the sender takes every CONNECT
			// it finds queued)
			if (field(clientState.getClass(), "pendingFlows").get(clientState) instanceof Collection<?> flows) {
				flows.removeIf((message) -> message.getClass().getSimpleName().equals("MqttConnect"));
			}
			callback.getClass().getMethod("stop").invoke(callback);
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			logger.debug("Could not release the connect threads of earlier attempts of client id '" + clientId + "'",
					ex);
			return false;
		}
	}

	private static Field field(Class<?> type, String name) throws NoSuchFieldException {
		for (Class<?> current = type; current != null; current = current.getSuperclass()) {
			try {
				Field field = current.getDeclaredField(name);
				field.setAccessible(true);
				return field;
			}
			catch (NoSuchFieldException ex) {
				// look in the superclass
			}
		}
		throw new NoSuchFieldException(name);
	}

	private static List<Thread> find(String name) {
		ThreadGroup root = Thread.currentThread().getThreadGroup();
		while (root.getParent() != null) {
			root = root.getParent();
		}
		Thread[] threads = new Thread[root.activeCount() + 16];
		int count = root.enumerate(threads, true);
		List<Thread> found = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			if (name.equals(threads[i].getName()) && threads[i].isAlive()) {
				found.add(threads[i]);
			}
		}
		return found;
	}

}
