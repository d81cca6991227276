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

import org.springframework.util.Assert;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * How a client manager of the starter connects and reconnects.
 *
 * @param enabled whether to reconnect after a lost connection (the first connection
 * is always retried)
 * @param minDelay the first delay between attempts
 * @param maxDelay the largest delay between attempts
 * @param connectTimeout the time to wait for CONNACK from one server
 */
public record ReconnectSettings(boolean enabled, Duration minDelay, Duration maxDelay, Duration connectTimeout) {

	/**
	 * Return the back-off between connection attempts: the first delay is the minimum,
	 * each next one doubles up to the maximum, and each is moved by up to 20% either way
	 * (within the minimum and the maximum) so that many clients do not reconnect in lock
	 * step. Its executions never stop; start a new one after a successful connection.
	 * @return the back-off
	 */
	BackOff backOff() {
		Assert.isTrue(!this.minDelay.isNegative(), "'minDelay' must not be negative");
		Assert.isTrue(this.maxDelay.compareTo(this.minDelay) >= 0, "'maxDelay' must not be less than 'minDelay'");
		long max = this.maxDelay.toMillis();
		// A delay of 0 would never grow: wait the maximum instead.
		long initial = (this.minDelay.toMillis() > 0) ? this.minDelay.toMillis() : max;
		ExponentialBackOff backOff = new ExponentialBackOff(initial, 2);
		backOff.setMaxInterval(max);
		// ExponentialBackOff scales the jitter with the delay: 20% of each one.
		backOff.setJitter(initial / 5);
		return backOff;
	}

	Duration attemptTimeout(int servers) {
		return (this.connectTimeout.isZero()) ? Duration.ZERO
				: this.connectTimeout.multipliedBy(Math.max(1, servers)).plusSeconds(1);
	}

}
