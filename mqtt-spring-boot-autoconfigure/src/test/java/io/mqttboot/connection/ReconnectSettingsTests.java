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
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link ReconnectSettings}: the back-off between connection attempts that
 * {@link ConnectionSupervisor} follows (a new execution after each successful
 * connection, the maximum delay after an authentication failure).
 *
 * @author mqttboot
 */
class ReconnectSettingsTests {

	@Test
	void backOffDoublesFromMinimumUpToMaximumWithJitter() {
		BackOffExecution execution = settings(Duration.ofSeconds(1), Duration.ofSeconds(10)).backOff().start();
		assertThat(execution.nextBackOff()).isBetween(1000L, 1200L);
		assertThat(execution.nextBackOff()).isBetween(1600L, 2400L);
		assertThat(execution.nextBackOff()).isBetween(3200L, 4800L);
		assertThat(execution.nextBackOff()).isBetween(6400L, 9600L);
		for (int i = 0; i < 100; i++) {
			assertThat(execution.nextBackOff()).isBetween(8000L, 10000L);
		}
	}

	@Test
	void backOffJitterKeepsClientsOutOfLockStep() {
		BackOff backOff = settings(Duration.ofSeconds(1), Duration.ofSeconds(4)).backOff();
		Set<Long> firstDelays = new HashSet<>();
		Set<Long> delaysAtMaximum = new HashSet<>();
		for (int i = 0; i < 50; i++) {
			BackOffExecution execution = backOff.start();
			firstDelays.add(execution.nextBackOff());
			execution.nextBackOff();
			execution.nextBackOff();
			delaysAtMaximum.add(execution.nextBackOff());
		}
		assertThat(firstDelays).hasSizeGreaterThan(1);
		assertThat(delaysAtMaximum).hasSizeGreaterThan(1);
	}

	@Test
	void newExecutionStartsAgainFromMinimum() {
		BackOff backOff = settings(Duration.ofMillis(100), Duration.ofSeconds(10)).backOff();
		BackOffExecution execution = backOff.start();
		execution.nextBackOff();
		execution.nextBackOff();
		assertThat(execution.nextBackOff()).isGreaterThanOrEqualTo(320L);
		assertThat(backOff.start().nextBackOff()).isBetween(100L, 120L);
	}

	@Test
	void backOffNeverStops() {
		BackOffExecution execution = settings(Duration.ofMillis(1), Duration.ofMinutes(2)).backOff().start();
		for (int i = 0; i < 100_000; i++) {
			assertThat(execution.nextBackOff()).isNotEqualTo(BackOffExecution.STOP);
		}
	}

	@Test
	void zeroMinimumFallsBackToMaximum() {
		BackOffExecution execution = settings(Duration.ZERO, Duration.ofSeconds(1)).backOff().start();
		assertThat(execution.nextBackOff()).isEqualTo(1000L);
		assertThat(execution.nextBackOff()).isEqualTo(1000L);
	}

	@Test
	void backOffRejectsMaximumBelowMinimum() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> settings(Duration.ofSeconds(2), Duration.ofSeconds(1)).backOff());
	}

	@Test
	void attemptTimeoutCoversEveryServerPlusOneSecond() {
		ReconnectSettings settings = new ReconnectSettings(true, Duration.ofSeconds(1), Duration.ofSeconds(2),
				Duration.ofSeconds(5));
		assertThat(settings.attemptTimeout(1)).isEqualTo(Duration.ofSeconds(6));
		assertThat(settings.attemptTimeout(3)).isEqualTo(Duration.ofSeconds(16));
		assertThat(settings(Duration.ofSeconds(1), Duration.ofSeconds(2)).attemptTimeout(3)).isZero();
	}

	private static ReconnectSettings settings(Duration minDelay, Duration maxDelay) {
		return new ReconnectSettings(true, minDelay, maxDelay, Duration.ZERO);
	}

}
