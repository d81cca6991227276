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
 * @param stablePeriod how long a connection must stay up before the back-off starts
 * again from the minimum delay: a connection lost sooner continues the back-off where
 * it was
 */
public record ReconnectSettings(boolean enabled, Duration minDelay, Duration maxDelay, Duration connectTimeout,
		Duration stablePeriod) {

	private static final Duration MIN_STABLE_PERIOD = Duration.ofSeconds(10);

	/**
	 * Create settings with the shortest stable period, 10 seconds.
	 * @param enabled whether to reconnect after a lost connection
	 * @param minDelay the first delay between attempts
	 * @param maxDelay the largest delay between attempts
	 * @param connectTimeout the time to wait for CONNACK from one server
	 */
	public ReconnectSettings(boolean enabled, Duration minDelay, Duration maxDelay, Duration connectTimeout) {
		this(enabled, minDelay, maxDelay, connectTimeout, MIN_STABLE_PERIOD);
	}

	/**
	 * Return how long a connection with the given keep-alive must stay up to count as
	 * stable: twice the keep-alive, at least 10 seconds. By then the client and the broker
	 * have exchanged a PINGREQ and PINGRESP (or traffic), so the connection works both
	 * ways, and a broker that drops the client soon after CONNACK (a takeover by another
	 * client with the same id, an authorization plugin, a broker that keeps restarting)
	 * would have done so.
	 * @param keepAlive the keep-alive interval, zero when disabled
	 * @return the stable period
	 */
	public static Duration stablePeriodFor(Duration keepAlive) {
		Duration twice = keepAlive.multipliedBy(2);
		return (twice.compareTo(MIN_STABLE_PERIOD) > 0) ? twice : MIN_STABLE_PERIOD;
	}

	/**
	 * Return how long a connection must stay up, once a client-id takeover is suspected,
	 * before the suspicion ends and the back-off starts again from the minimum: the
	 * maximum delay plus the stable period, since the other client with the same id
	 * waits at most the maximum delay before it connects again and takes over.
	 * @return the stable period under takeover
	 */
	Duration takeoverStablePeriod() {
		return this.maxDelay.plus(this.stablePeriod);
	}

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
