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

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One inbound message on its way through the {@link MqttInboundReceiver receivers} of
 * the connection, and its acknowledgement to the broker: sent once, when the dispatcher
 * and every receiver that {@link #hold() held} the message have {@link #release()
 * released} it.
 * <p>
 * Internal SPI of the starter: not meant for application code and subject to change.
 *
 * @author mqttboot
 */
public final class InboundDelivery {

	private static final AtomicIntegerFieldUpdater<InboundDelivery> HOLDS = AtomicIntegerFieldUpdater
		.newUpdater(InboundDelivery.class, "holds");

	private final InboundMessage message;

	private final InboundDispatcher dispatcher;

	// The dispatcher holds the delivery while it hands it to the receivers.
	private volatile int holds = 1;

	private volatile boolean unacknowledged;

	InboundDelivery(InboundMessage message, InboundDispatcher dispatcher) {
		this.message = message;
		this.dispatcher = dispatcher;
	}

	/**
	 * Return the message.
	 * @return the message
	 */
	public InboundMessage message() {
		return this.message;
	}

	/**
	 * Delay the acknowledgement until a matching {@link #release()}. Only while the
	 * delivery is held already: by the dispatcher during
	 * {@link MqttInboundReceiver#receive}, or by an earlier hold.
	 */
	public void hold() {
		HOLDS.incrementAndGet(this);
	}

	/**
	 * Release a {@link #hold()}: the last release acknowledges the message.
	 */
	public void release() {
		if (HOLDS.decrementAndGet(this) == 0) {
			if (this.unacknowledged) {
				this.dispatcher.abandoned(this.message);
			}
			else {
				this.dispatcher.acknowledge(this.message);
			}
		}
	}

	/**
	 * Never acknowledge this message, so that the broker redelivers it to a persistent
	 * session (used when the application shuts down before processing it). This holds for
	 * every receiver of the message.
	 */
	public void leaveUnacknowledged() {
		this.unacknowledged = true;
	}

}
