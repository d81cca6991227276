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
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.util.Assert;

/**
 * Exponential back-off between connection attempts: starts at the minimum delay,
 * doubles after each failed attempt up to the maximum, and adds up to 20% of jitter so
 * that many clients do not reconnect in lock step.
 *
 * @author mqttboot
 */
final class Backoff {

	private final long minMillis;

	private final long maxMillis;

	private int failures;

	/**
	 * Create a new back-off.
	 * @param minDelay the first delay
	 * @param maxDelay the upper bound of any delay
	 */
	Backoff(Duration minDelay, Duration maxDelay) {
		Assert.isTrue(!minDelay.isNegative(), "'minDelay' must not be negative");
		Assert.isTrue(maxDelay.compareTo(minDelay) >= 0, "'maxDelay' must not be less than 'minDelay'");
		this.minMillis = minDelay.toMillis();
		this.maxMillis = maxDelay.toMillis();
	}

	/**
	 * Return the delay before the next attempt and count one more failure.
	 * @return the delay
	 */
	synchronized Duration next() {
		long base = this.minMillis << Math.min(this.failures, 30);
		if (base <= 0 || base > this.maxMillis) {
			base = this.maxMillis;
		}
		this.failures++;
		long jitter = (base >= 10) ? ThreadLocalRandom.current().nextLong(base / 5 + 1) : 0;
		return Duration.ofMillis(Math.min(this.maxMillis, base + jitter));
	}

	/**
	 * Return the maximum delay.
	 * @return the maximum delay
	 */
	Duration max() {
		return Duration.ofMillis(this.maxMillis);
	}

	/**
	 * Start again from the minimum delay, after a successful connection.
	 */
	synchronized void reset() {
		this.failures = 0;
	}

}
