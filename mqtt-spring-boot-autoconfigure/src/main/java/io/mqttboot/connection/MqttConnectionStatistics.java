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

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;

/**
 * What happened to one {@link MqttConnection} so far: connection attempts that succeeded
 * and failed, established connections that were lost, when the connection state last
 * changed and whether the broker had a session. Live counts, read without locking, by
 * the metrics and the actuator endpoint. With a client manager other than the starter's,
 * only successful attempts are counted.
 *
 * @author mqttboot
 * @see MqttConnection#getStatistics()
 */
public final class MqttConnectionStatistics {

	private final AtomicLong successfulAttempts = new AtomicLong();

	private final AtomicLong failedAttempts = new AtomicLong();

	private final AtomicLong lostConnections = new AtomicLong();

	private final Clock clock;

	private final BooleanSupplier running;

	private volatile boolean established;

	private volatile boolean sessionPresent;

	private volatile @Nullable Instant since;

	MqttConnectionStatistics(Clock clock, BooleanSupplier running) {
		this.clock = clock;
		this.running = running;
	}

	/**
	 * Return how many connection attempts the broker accepted (with its CONNACK), the
	 * first one and every reconnection.
	 * @return the number of successful attempts
	 */
	public long getSuccessfulAttempts() {
		return this.successfulAttempts.get();
	}

	/**
	 * Return how many connection attempts failed: refused by the broker, not answered in
	 * time, or lost before they completed.
	 * @return the number of failed attempts
	 */
	public long getFailedAttempts() {
		return this.failedAttempts.get();
	}

	/**
	 * Return how many established connections ended other than by the application's own
	 * stop (those a {@code MqttConnectionLostEvent} reports).
	 * @return the number of lost connections
	 */
	public long getLostConnections() {
		return this.lostConnections.get();
	}

	/**
	 * Return when the connection was last established or lost.
	 * @return the instant, or {@code null} if the broker never accepted a connection
	 */
	public @Nullable Instant getSince() {
		return this.since;
	}

	/**
	 * Return whether the broker had a session of the client when it last accepted the
	 * connection.
	 * @return whether a session was present
	 */
	public boolean isSessionPresent() {
		return this.sessionPresent;
	}

	void connected(boolean sessionPresent) {
		this.sessionPresent = sessionPresent;
		this.established = true;
		this.since = this.clock.instant();
		this.successfulAttempts.incrementAndGet();
	}

	void lost() {
		if (this.established && this.running.getAsBoolean()) {
			this.lostConnections.incrementAndGet();
		}
		if (this.established) {
			this.since = this.clock.instant();
		}
		this.established = false;
	}

	void attemptFailed() {
		this.failedAttempts.incrementAndGet();
	}

	/**
	 * Return the listener that records the events of a starter client manager.
	 * @return the listener
	 */
	ConnectionListener listener() {
		return new ConnectionListener() {

			@Override
			public void connected(String serverUri, boolean sessionPresent, boolean reconnect) {
				MqttConnectionStatistics.this.connected(sessionPresent);
			}

			@Override
			public void lost(@Nullable Throwable cause, @Nullable Integer reasonCode) {
				MqttConnectionStatistics.this.lost();
			}

			@Override
			public void attemptFailed(String reason) {
				MqttConnectionStatistics.this.attemptFailed();
			}

			@Override
			public String toString() {
				return "connection statistics";
			}

		};
	}

}
