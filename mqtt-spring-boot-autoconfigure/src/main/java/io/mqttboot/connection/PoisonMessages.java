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
import java.lang.ref.WeakReference;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;

import org.jspecify.annotations.Nullable;

/**
 * Recognises a message that the broker answers by closing the connection (a poison
 * message): a QoS 1 or 2 publish in flight when the connection was lost right after it
 * was sent, twice (sent again by the template's buffer, or by Paho from a persistent
 * session). Such a message would otherwise be resent on every reconnection, forever.
 * <p>
 * Messages and their tokens are held weakly: a send that the template gave up (its
 * timeout) is not kept. A message record equals another only with the same payload
 * array, so the map works by identity in practice.
 *
 * @author mqttboot
 */
final class PoisonMessages {

	/** How soon after a publish was sent a loss counts against it. */
	static final Duration WINDOW = Duration.ofSeconds(2);

	private static final int LOSSES = 2;

	private final Map<MqttOutboundMessage, Entry> entries = new WeakHashMap<>();

	/**
	 * Return why a message must not be sent again, if it is a poison message.
	 * @param message the message
	 * @return the description, or {@code null}
	 */
	synchronized @Nullable String poisoned(MqttOutboundMessage message) {
		Entry entry = this.entries.get(message);
		return (entry != null && entry.poisoned) ? describe(message) : null;
	}

	/**
	 * A QoS 1 or 2 message is about to be sent.
	 * @param message the message
	 */
	synchronized void sending(MqttOutboundMessage message) {
		if (message.qos() > 0) {
			Entry entry = this.entries.computeIfAbsent(message, (key) -> new Entry());
			entry.sentAt = System.nanoTime();
			entry.stale = false;
		}
	}

	/**
	 * Record the Paho token of a message being sent.
	 * @param message the message
	 * @param token the token
	 */
	synchronized void sent(MqttOutboundMessage message, @Nullable Object token) {
		Entry entry = this.entries.get(message);
		if (entry != null && token != null) {
			entry.tokens.add(new WeakReference<>(token));
		}
	}

	/**
	 * The broker acknowledged a message, or answered it otherwise than by closing the
	 * connection.
	 * @param message the message
	 */
	synchronized void done(MqttOutboundMessage message) {
		this.entries.remove(message);
	}

	/**
	 * The connection was lost: count the loss against every message sent right before it.
	 * @return the messages recognised as poison messages now
	 */
	synchronized List<Poisoned> lost() {
		long now = System.nanoTime();
		List<Poisoned> poisoned = new ArrayList<>();
		for (Map.Entry<MqttOutboundMessage, Entry> mapping : this.entries.entrySet()) {
			Entry entry = mapping.getValue();
			if (entry.poisoned || entry.stale || now - entry.sentAt > WINDOW.toNanos()) {
				continue;
			}
			entry.losses++;
			if (entry.losses >= LOSSES) {
				entry.poisoned = true;
				List<Object> tokens = entry.tokens.stream().map(WeakReference::get).filter(Objects::nonNull).toList();
				poisoned.add(new Poisoned(mapping.getKey(), describe(mapping.getKey()), tokens));
			}
		}
		return poisoned;
	}

	/**
	 * A connection was established: Paho sends the messages of a persistent session
	 * again now; messages not sent again during a whole connection are forgotten.
	 * @param sessionPresent whether the broker resumed the session
	 */
	synchronized void connected(boolean sessionPresent) {
		long now = System.nanoTime();
		for (Iterator<Entry> iterator = this.entries.values().iterator(); iterator.hasNext();) {
			Entry entry = iterator.next();
			if (entry.stale && !entry.poisoned) {
				iterator.remove();
			}
			else if (sessionPresent && !entry.poisoned) {
				entry.sentAt = now;
			}
			else {
				entry.stale = true;
			}
		}
	}

	private static String describe(MqttOutboundMessage message) {
		return "The MQTT broker closed the connection right after receiving the message to '" + message.topic()
				+ "' (QoS " + message.qos() + ", " + message.payload().length + " bytes), twice: it does not accept "
				+ "this message (likely its QoS, its size, its topic or its retain flag is over the broker's limits, "
				+ "or the client may not publish to that topic). It is not sent again";
	}

	/**
	 * A message recognised as a poison message.
	 *
	 * @param message the message
	 * @param description what happened, for the log and the failed future
	 * @param tokens the Paho tokens of its sends
	 */
	record Poisoned(MqttOutboundMessage message, String description, List<Object> tokens) {

	}

	private static final class Entry {

		private long sentAt;

		private int losses;

		private boolean poisoned;

		private boolean stale;

		private final List<WeakReference<Object>> tokens = new ArrayList<>(1);

	}

}
