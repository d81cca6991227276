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

	Backoff backoff() {
		return new Backoff(this.minDelay, this.maxDelay);
	}

	Duration attemptTimeout(int servers) {
		return (this.connectTimeout.isZero()) ? Duration.ZERO
				: this.connectTimeout.multipliedBy(Math.max(1, servers)).plusSeconds(1);
	}

}
