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
package io.mqttboot.benchmark.faults;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waiting for a condition with a deadline.
 *
 * @author mqttboot
 */
final class Waits {

	private Waits() {
	}

	/**
	 * Wait until the condition holds, checking every 50 ms.
	 * @throws IllegalStateException if it does not hold within the timeout
	 */
	static void until(String what, Duration timeout, BooleanSupplier condition) {
		if (!within(timeout, condition)) {
			throw new IllegalStateException("Timed out after " + timeout.toSeconds() + " s waiting for: " + what);
		}
	}

	/**
	 * Wait until the condition holds or the timeout passes, checking every 50 ms.
	 * @return whether the condition held
	 */
	static boolean within(Duration timeout, BooleanSupplier condition) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() - deadline > 0) {
				return false;
			}
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
		return true;
	}

	/**
	 * Let time pass: the length of a fault, not a wait for something to happen.
	 */
	static void hold(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
