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

import java.util.HashMap;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;

/**
 * Exactly-once hand-off of inbound QoS 2 messages for the Paho MQTT 3 client with
 * manual acknowledgements, where Paho 1.2.5 already does half of it:
 * <ul>
 * <li>on a QoS 2 PUBLISH it stores the message (its {@code inboundQoS2} map) and sends
 * PUBREC at once;</li>
 * <li>on PUBREL it delivers the stored message, and sends nothing; without a stored
 * message (already completed) it answers PUBCOMP itself;</li>
 * <li>{@code messageArrivedComplete(id, 2)} forgets the stored message and sends the one
 * PUBCOMP.</li>
 * </ul>
 * What Paho does not do is recognise a PUBREL that the broker sends again (it does on
 * every connection of a persistent session until it has a PUBCOMP) while the message is
 * still with the listener, or done but not completed: it delivers the message again.
 * This class keeps the packet identifiers from delivery to PUBCOMP. The broker cannot
 * reuse an identifier before it has the PUBCOMP, so a QoS 2 message with an identifier
 * held here is the same message: it is not delivered again, and its PUBCOMP is sent once,
 * on the connection that carried the latest PUBREL:
 * <ul>
 * <li>the listener returns on the connection the message (its latest PUBREL) came on:
 * completed at once;</li>
 * <li>the listener returns after that connection was lost: the message stays stored in
 * Paho, and the PUBREL the broker sends again on the next connection of the session is
 * completed without a delivery (a PUBCOMP sent during the outage would be dropped by Paho
 * or sent unasked on the next connection, before the broker's own PUBREL that Paho would
 * then answer a second time);</li>
 * <li>the PUBREL comes again while the listener still runs: completed when it returns.</li>
 * </ul>
 * The broker keeps nothing of a session it did not resume (a clean session, an expired
 * one, a broker restart without persistence): everything held is forgotten then, and the
 * messages still with a listener are not completed.
 *
 * @author mqttboot
 */
final class InboundQos2Receipts {

	private final Map<Integer, Receipt> receipts = new HashMap<>();

	private final LongSupplier currentConnection;

	private final IntConsumer complete;

	/**
	 * Create the receipts of a connection.
	 * @param currentConnection the number of the current connection, see
	 * {@link InboundDispatcher#currentConnection()}
	 * @param complete sends the PUBCOMP of a packet identifier and forgets Paho's stored
	 * message ({@code messageArrivedComplete(id, 2)})
	 */
	InboundQos2Receipts(LongSupplier currentConnection, IntConsumer complete) {
		this.currentConnection = currentConnection;
		this.complete = complete;
	}

	/**
	 * A QoS 2 message arrived (Paho delivers it at PUBREL).
	 * @param message the message
	 * @return whether it is new and goes to the receivers; {@code false} for the same
	 * message again, which is completed here if the listener is already done with it
	 */
	boolean arrived(InboundMessage message) {
		synchronized (this.receipts) {
			Receipt receipt = this.receipts.get(message.id());
			if (receipt == null) {
				this.receipts.put(message.id(), new Receipt(message));
				return true;
			}
			receipt.lastPubrelConnection = message.connection();
			if (receipt.done) {
				// the listener returned after an earlier connection was lost: this PUBREL
				// is answered now
				this.receipts.remove(message.id());
				this.complete.accept(message.id());
			}
			return false;
		}
	}

	/**
	 * The receivers are done with a message: complete it if the connection that carried
	 * its latest PUBREL is still the current one, or else when the broker sends the PUBREL
	 * again.
	 * @param message the message as {@link #arrived(InboundMessage) it arrived} first
	 */
	void completed(InboundMessage message) {
		synchronized (this.receipts) {
			Receipt receipt = this.receipts.get(message.id());
			if (receipt == null || receipt.message != message) {
				// forgotten with a session the broker did not resume
				return;
			}
			if (receipt.lastPubrelConnection != this.currentConnection.getAsLong()) {
				receipt.done = true;
				return;
			}
			this.receipts.remove(message.id());
			// Under the lock that counting a loss takes (see connectionLost): Paho forgets
			// the message before the loss is counted, so before the next connection's
			// PUBREL, which Paho then answers by itself, never delivering the message again.
			// Paho only queues the PUBCOMP here (it is dropped if the connection is gone).
			this.complete.accept(message.id());
		}
	}

	/**
	 * Count a lost connection, atomically with the completions: a listener that returns
	 * from now on waits for the PUBREL the broker sends again.
	 * @param countLoss changes the number of the current connection
	 */
	void connectionLost(Runnable countLoss) {
		synchronized (this.receipts) {
			countLoss.run();
		}
	}

	/**
	 * A message left unacknowledged (the application stopped before it was processed):
	 * forgotten here, so that the PUBREL the broker sends again delivers it again.
	 * @param message the message as it arrived first
	 */
	void abandoned(InboundMessage message) {
		synchronized (this.receipts) {
			Receipt receipt = this.receipts.get(message.id());
			if (receipt != null && receipt.message == message) {
				this.receipts.remove(message.id());
			}
		}
	}

	/**
	 * The broker accepted a connection: without its session, it holds none of these
	 * messages any more.
	 * @param sessionPresent whether the broker resumed the session
	 */
	void connected(boolean sessionPresent) {
		if (!sessionPresent) {
			synchronized (this.receipts) {
				this.receipts.clear();
			}
		}
	}

	/**
	 * Return the number of messages held, between delivery and PUBCOMP.
	 * @return the number of messages
	 */
	int size() {
		synchronized (this.receipts) {
			return this.receipts.size();
		}
	}

	private static final class Receipt {

		private final InboundMessage message;

		private long lastPubrelConnection;

		private boolean done;

		Receipt(InboundMessage message) {
			this.message = message;
			this.lastPubrelConnection = message.connection();
		}

	}

}
