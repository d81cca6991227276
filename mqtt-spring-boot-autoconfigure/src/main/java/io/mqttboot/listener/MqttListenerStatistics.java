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

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * The live counts of one {@link MqttListener @MqttListener}: messages received and not
 * yet handled, handled, failed, and QoS 0 messages dropped for a full queue. Read
 * without locking, by the metrics and the actuator endpoint.
 *
 * @author mqttboot
 * @see MqttListenerEndpointRegistry#getStatistics(String)
 */
public final class MqttListenerStatistics {

	private final IntSupplier queued;

	private final AtomicLong handled = new AtomicLong();

	private final AtomicLong failed = new AtomicLong();

	private final AtomicLong dropped = new AtomicLong();

	MqttListenerStatistics(IntSupplier queued) {
		this.queued = queued;
	}

	/**
	 * Return how many messages the listener received and has not handled yet: queued
	 * for its threads or being handled now.
	 * @return the number of queued messages
	 */
	public int getQueued() {
		return this.queued.getAsInt();
	}

	/**
	 * Return how many messages the listener handled, successfully or not.
	 * @return the number of handled messages
	 */
	public long getHandled() {
		return this.handled.get();
	}

	/**
	 * Return how many of the handled messages failed: the listener threw, or the payload
	 * could not be converted (each went to the error handler).
	 * @return the number of failed messages
	 */
	public long getFailed() {
		return this.failed.get();
	}

	/**
	 * Return how many QoS 0 messages were dropped because the listener was
	 * {@value ListenerContainer#MAX_QUEUED_QOS0} messages behind.
	 * @return the number of dropped messages
	 */
	public long getDropped() {
		return this.dropped.get();
	}

	void handled(boolean success) {
		this.handled.incrementAndGet();
		if (!success) {
			this.failed.incrementAndGet();
		}
	}

	long dropped() {
		return this.dropped.incrementAndGet();
	}

}
