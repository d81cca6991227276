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
package io.mqttboot.benchmark;

/**
 * Records the messages one phase receives: which sequence numbers arrived, how often,
 * their end-to-end latency, and when the last one arrived. Messages of other phases are
 * counted as stale and otherwise ignored.
 *
 * @author mqttboot
 */
final class Recorder {

	private final int phase;

	private final int expected;

	private final long[] latencies;

	private final boolean[] seen;

	private final int[] receivedQos = new int[3];

	private int received;

	private int duplicates;

	private int stale;

	private long lastReceiveNanos;

	Recorder(int phase, int expected) {
		this.phase = phase;
		this.expected = expected;
		this.latencies = new long[expected];
		this.seen = new boolean[expected];
	}

	/**
	 * Record a received message.
	 * @param payload its payload
	 * @param qos the QoS it was delivered with
	 */
	void record(byte[] payload, int qos) {
		long now = System.nanoTime();
		synchronized (this) {
			if (payload.length != Payloads.SIZE || Payloads.phase(payload) != this.phase) {
				this.stale++;
				return;
			}
			int sequence = Payloads.sequence(payload);
			if (sequence < 0 || sequence >= this.expected) {
				this.stale++;
				return;
			}
			if (this.seen[sequence]) {
				this.duplicates++;
				return;
			}
			this.seen[sequence] = true;
			this.latencies[sequence] = now - Payloads.sentNanos(payload);
			this.received++;
			this.receivedQos[Math.min(Math.max(qos, 0), 2)]++;
			this.lastReceiveNanos = now;
		}
	}

	synchronized int received() {
		return this.received;
	}

	synchronized int duplicates() {
		return this.duplicates;
	}

	synchronized int stale() {
		return this.stale;
	}

	synchronized long lastReceiveNanos() {
		return this.lastReceiveNanos;
	}

	/**
	 * Return the highest QoS any message was delivered with, or -1 if none arrived.
	 * @return the delivered QoS
	 */
	synchronized int deliveredQos() {
		for (int qos = 2; qos >= 0; qos--) {
			if (this.receivedQos[qos] > 0) {
				return qos;
			}
		}
		return -1;
	}

	/**
	 * Return the latencies of the messages that arrived.
	 * @return the latencies in nanoseconds, in sequence order
	 */
	synchronized long[] latencies() {
		long[] result = new long[this.received];
		int i = 0;
		for (int sequence = 0; sequence < this.expected; sequence++) {
			if (this.seen[sequence]) {
				result[i++] = this.latencies[sequence];
			}
		}
		return result;
	}

}
