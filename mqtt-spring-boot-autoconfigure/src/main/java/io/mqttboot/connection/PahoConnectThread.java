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

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Waits for the connect thread of a Paho client ({@code "MQTT Con: <client id>"}) to
 * end before the client is disconnected forcibly. Paho 1.2.5 starts its receiver, sender
 * and callback threads from that thread and waits, in a loop that ignores interrupts,
 * until each one runs; a forced disconnect in that window stops them first, and the
 * connect thread then spins forever (a thread leak on every shutdown or aborted attempt
 * that hits the window). The window is short, so the wait is bounded.
 *
 * @author mqttboot
 */
final class PahoConnectThread {

	private static final Duration TIMEOUT = Duration.ofSeconds(2);

	private PahoConnectThread() {
	}

	/**
	 * Wait, at most two seconds, until no connect thread of the given client is alive.
	 * @param clientId the client id
	 */
	static void awaitEnd(String clientId) {
		Thread thread = find("MQTT Con: " + clientId);
		if (thread == null) {
			return;
		}
		try {
			thread.join(TIMEOUT.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static @Nullable Thread find(String name) {
		List<Thread> threads = all(name);
		return threads.isEmpty() ? null : threads.get(0);
	}

	/**
	 * Return the live threads with the given name.
	 * @param name the thread name
	 * @return the threads
	 */
	static List<Thread> all(String name) {
		ThreadGroup root = Thread.currentThread().getThreadGroup();
		while (root.getParent() != null) {
			root = root.getParent();
		}
		Thread[] threads = new Thread[root.activeCount() + 16];
		int count = root.enumerate(threads, true);
		List<Thread> found = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			if (name.equals(threads[i].getName())) {
				found.add(threads[i]);
			}
		}
		return found;
	}

}
