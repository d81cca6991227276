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
package io.mqttboot.test;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit condition behind {@link EnabledIfNats}: skips without {@code nats-server}, errors if NATS is required.
 *
 * @author mqttboot
 */
public class NatsCondition implements ExecutionCondition {

	/** System property that turns a missing NATS into a test error; surefire sets it from the env var. */
	public static final String REQUIRE_PROPERTY = "mqttboot.require-nats";

	/** Environment variable equivalent of {@link #REQUIRE_PROPERTY}. */
	public static final String REQUIRE_ENV = "MQTTBOOT_REQUIRE_NATS";

	static final String NOT_FOUND = "nats-server binary not found; install the Debian package 'nats-server' "
			+ "(apt-get install nats-server) or put 'nats-server' on the PATH";

	@Override
	public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
		if (NatsBroker.isAvailable()) {
			return ConditionEvaluationResult.enabled("nats-server found at " + NatsBroker.executable().get());
		}
		String reason = notFoundMessage();
		if (isRequired()) {
			throw new IllegalStateException(reason + " (required because " + REQUIRE_PROPERTY + "/" + REQUIRE_ENV
					+ " is true)");
		}
		return ConditionEvaluationResult.disabled(reason);
	}

	static String notFoundMessage() {
		String configured = System.getProperty(NatsBroker.EXECUTABLE_PROPERTY);
		return (configured != null && !configured.isBlank()) ? NOT_FOUND + "; " + NatsBroker.EXECUTABLE_PROPERTY + "="
				+ configured + " is not an executable file" : NOT_FOUND;
	}

	static boolean isRequired() {
		return isTrue(System.getProperty(REQUIRE_PROPERTY)) || isTrue(System.getenv(REQUIRE_ENV));
	}

	private static boolean isTrue(String value) {
		return value != null && Boolean.parseBoolean(value.trim());
	}

}
