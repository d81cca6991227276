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
package io.mqttboot.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.springframework.util.Assert;

/**
 * The messages a {@link MqttTestClient} received on the topic filters of one
 * {@link MqttTestClient#subscribe(String...) subscribe}, in arrival order.
 * {@link #awaitMessage(Duration)} and {@link #awaitMessages(int, Duration)} hand them out
 * one after the other, each once; {@link #getMessages()} lists all of them.
 * {@link #close() Closing} it unsubscribes its filters that no other open recording of
 * the client uses.
 *
 * @author mqttboot
 */
public final class MqttRecording implements AutoCloseable {

	private final MqttTestClient client;

	private final List<String> topicFilters;

	private final Duration defaultTimeout;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition arrived = this.lock.newCondition();

	private final List<ReceivedMqttMessage> messages = new ArrayList<>();

	private int awaited;

	MqttRecording(MqttTestClient client, List<String> topicFilters, Duration defaultTimeout) {
		this.client = client;
		this.topicFilters = List.copyOf(topicFilters);
		this.defaultTimeout = defaultTimeout;
	}

	/**
	 * Return the topic filters of this recording.
	 * @return the topic filters
	 */
	public List<String> getTopicFilters() {
		return this.topicFilters;
	}

	/**
	 * Wait for the next message not yet handed out, at most the client's timeout
	 * ({@link MqttTestClient#DEFAULT_TIMEOUT} unless configured).
	 * @return the message
	 * @throws AssertionError if none arrives in time
	 */
	public ReceivedMqttMessage awaitMessage() {
		return awaitMessage(this.defaultTimeout);
	}

	/**
	 * Wait for the next message not yet handed out.
	 * @param timeout how long to wait at most
	 * @return the message
	 * @throws AssertionError if none arrives in time
	 */
	public ReceivedMqttMessage awaitMessage(Duration timeout) {
		return awaitMessages(1, timeout).get(0);
	}

	/**
	 * Wait for the next {@code count} messages not yet handed out.
	 * @param count how many messages
	 * @param timeout how long to wait at most for all of them
	 * @return the messages, in arrival order
	 * @throws AssertionError if fewer arrive in time
	 */
	public List<ReceivedMqttMessage> awaitMessages(int count, Duration timeout) {
		Assert.isTrue(count > 0, "'count' must be positive");
		long deadline = System.nanoTime() + timeout.toNanos();
		this.lock.lock();
		try {
			while (this.messages.size() - this.awaited < count) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					int got = this.messages.size() - this.awaited;
					throw new AssertionError("Expected " + count + ((count == 1) ? " message" : " messages") + " on "
							+ this.topicFilters + " within " + timeout + " but got " + got
							+ ((got > 0) ? ": " + this.messages.subList(this.awaited, this.messages.size()) : "")
							+ " (" + this.awaited + " handed out before)");
				}
				this.arrived.awaitNanos(remaining);
			}
			List<ReceivedMqttMessage> result = List.copyOf(this.messages.subList(this.awaited, this.awaited + count));
			this.awaited += count;
			return result;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for MQTT messages on " + this.topicFilters, ex);
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Return every message received so far, handed out or not, in arrival order.
	 * @return a snapshot of the messages
	 */
	public List<ReceivedMqttMessage> getMessages() {
		this.lock.lock();
		try {
			return List.copyOf(this.messages);
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Stop recording and unsubscribe the filters that no other open recording of the
	 * client uses.
	 */
	@Override
	public void close() {
		this.client.close(this);
	}

	boolean matches(String topic) {
		for (String filter : this.topicFilters) {
			if (TopicMatcher.matches(filter, topic)) {
				return true;
			}
		}
		return false;
	}

	void add(ReceivedMqttMessage message) {
		this.lock.lock();
		try {
			this.messages.add(message);
			this.arrived.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public String toString() {
		return "MqttRecording" + this.topicFilters;
	}

	/**
	 * MQTT topic filter matching, shared subscriptions ({@code $share/<group>/<filter>})
	 * included.
	 */
	static final class TopicMatcher {

		private TopicMatcher() {
		}

		static boolean matches(String filter, String topic) {
			if (filter.startsWith("$share/")) {
				int groupEnd = filter.indexOf('/', "$share/".length());
				if (groupEnd < 0) {
					return false;
				}
				filter = filter.substring(groupEnd + 1);
			}
			// Wildcards at the first level do not match topics starting with $
			if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) {
				return false;
			}
			String[] filterLevels = filter.split("/", -1);
			String[] topicLevels = topic.split("/", -1);
			for (int i = 0; i < filterLevels.length; i++) {
				String level = filterLevels[i];
				if (level.equals("#")) {
					return true;
				}
				if (i >= topicLevels.length) {
					return false;
				}
				if (!level.equals("+") && !level.equals(topicLevels[i])) {
					return false;
				}
			}
			return filterLevels.length == topicLevels.length;
		}

	}

}
