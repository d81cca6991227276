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

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link Backoff}.
 *
 * @author mqttboot
 */
class BackoffTests {

	@Test
	void doublesFromMinimumUpToMaximumWithJitter() {
		Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10));
		assertThat(backoff.next()).isBetween(Duration.ofMillis(1000), Duration.ofMillis(1200));
		assertThat(backoff.next()).isBetween(Duration.ofMillis(2000), Duration.ofMillis(2400));
		assertThat(backoff.next()).isBetween(Duration.ofMillis(4000), Duration.ofMillis(4800));
		assertThat(backoff.next()).isBetween(Duration.ofMillis(8000), Duration.ofMillis(9600));
		for (int i = 0; i < 100; i++) {
			assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(10));
		}
	}

	@Test
	void resetStartsAgainFromMinimum() {
		Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10));
		backoff.next();
		backoff.next();
		backoff.reset();
		assertThat(backoff.next()).isBetween(Duration.ofMillis(100), Duration.ofMillis(120));
	}

	@Test
	void zeroMinimumFallsBackToMaximum() {
		Backoff backoff = new Backoff(Duration.ZERO, Duration.ofSeconds(1));
		assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void rejectsMaximumBelowMinimum() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
	}

}
