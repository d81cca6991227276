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

import java.nio.ByteBuffer;

/**
 * The benchmark payload: 100 bytes carrying the phase, a sequence number and the
 * {@link System#nanoTime()} of the send call, followed by padding.
 *
 * @author mqttboot
 */
final class Payloads {

	/**
	 * The payload size in bytes.
	 */
	static final int SIZE = 100;

	private Payloads() {
	}

	/**
	 * Create a payload.
	 * @param phase the phase the message belongs to
	 * @param sequence the sequence number in the phase
	 * @param sentNanos the send time
	 * @return a new 100-byte array
	 */
	static byte[] create(int phase, int sequence, long sentNanos) {
		byte[] payload = new byte[SIZE];
		ByteBuffer.wrap(payload).putInt(phase).putInt(sequence).putLong(sentNanos);
		return payload;
	}

	static int phase(byte[] payload) {
		return ByteBuffer.wrap(payload).getInt(0);
	}

	static int sequence(byte[] payload) {
		return ByteBuffer.wrap(payload).getInt(4);
	}

	static long sentNanos(byte[] payload) {
		return ByteBuffer.wrap(payload).getLong(8);
	}

}
