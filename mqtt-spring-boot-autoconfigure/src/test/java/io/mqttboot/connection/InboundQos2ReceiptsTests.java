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

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link InboundQos2Receipts}: which PUBREL is answered, and when. The wire
 * behaviour against real brokers is in {@code Qos2ListenerIntegrationTests}.
 *
 * @author mqttboot
 */
class InboundQos2ReceiptsTests {

	private final AtomicLong connection = new AtomicLong(1);

	private final List<Integer> completed = new CopyOnWriteArrayList<>();

	private final InboundQos2Receipts receipts = new InboundQos2Receipts(this.connection::get, this.completed::add);

	@Test
	void completedOnItsConnectionAtOnce() {
		InboundMessage message = message(7);
		assertThat(this.receipts.arrived(message)).isTrue();
		assertThat(this.completed).isEmpty();
		this.receipts.completed(message);
		assertThat(this.completed).containsExactly(7);
		assertThat(this.receipts.size()).isZero();
	}

	@Test
	void pubrelAgainWhileTheListenerRunsIsNotDeliveredAndCompletedOnceWhenItReturns() {
		InboundMessage first = message(7);
		this.receipts.arrived(first);
		this.connection.set(3);
		assertThat(this.receipts.arrived(message(7))).isFalse();
		assertThat(this.completed).isEmpty();
		this.receipts.completed(first);
		assertThat(this.completed).containsExactly(7);
	}

	@Test
	void returnedAfterTheLossIsCompletedWhenThePubrelComesAgain() {
		InboundMessage first = message(7);
		this.receipts.arrived(first);
		this.connection.set(2);
		this.receipts.completed(first);
		assertThat(this.completed).isEmpty();
		this.connection.set(3);
		assertThat(this.receipts.arrived(message(7))).isFalse();
		assertThat(this.completed).containsExactly(7);
		assertThat(this.receipts.size()).isZero();
		// the broker may use the identifier again now
		assertThat(this.receipts.arrived(message(7))).isTrue();
	}

	@Test
	void sessionNotResumedForgetsEverything() {
		InboundMessage old = message(7);
		this.receipts.arrived(old);
		this.connection.set(3);
		this.receipts.connected(false);
		InboundMessage fresh = message(7);
		assertThat(this.receipts.arrived(fresh)).isTrue();
		// the old message's listener returns: nothing to complete, the new one is kept
		this.receipts.completed(old);
		assertThat(this.completed).isEmpty();
		this.receipts.completed(fresh);
		assertThat(this.completed).containsExactly(7);
	}

	@Test
	void sessionResumedKeepsTheReceipts() {
		this.receipts.arrived(message(7));
		this.receipts.connected(true);
		assertThat(this.receipts.size()).isOne();
	}

	@Test
	void abandonedIsDeliveredAgainByTheNextPubrel() {
		InboundMessage first = message(7);
		this.receipts.arrived(first);
		this.receipts.abandoned(first);
		assertThat(this.receipts.arrived(message(7))).isTrue();
		assertThat(this.completed).isEmpty();
	}

	private InboundMessage message(int id) {
		return new InboundMessage("t", new byte[0], 2, false, false, id, Map.of(), List.of(), this.connection.get());
	}

}
