package io.mqttboot.test;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit condition behind {@link EnabledIfMosquitto}: skips without Mosquitto, errors if Mosquitto is required.
 */
public class MosquittoCondition implements ExecutionCondition {

	/** System property that turns a missing Mosquitto into a test error; surefire sets it from the env var. */
	public static final String REQUIRE_PROPERTY = "mqttboot.require-mosquitto";

	/** Environment variable equivalent of {@link #REQUIRE_PROPERTY}. */
	public static final String REQUIRE_ENV = "MQTTBOOT_REQUIRE_MOSQUITTO";

	static final String NOT_FOUND = "mosquitto binary not found; install the Debian package 'mosquitto' "
			+ "(apt-get install mosquitto) or put 'mosquitto' on the PATH";

	@Override
	public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
		if (MosquittoBroker.isAvailable()) {
			return ConditionEvaluationResult.enabled("mosquitto found at " + MosquittoBroker.executable().get());
		}
		String reason = notFoundMessage();
		if (isRequired()) {
			throw new IllegalStateException(reason + " (required because " + REQUIRE_PROPERTY + "/" + REQUIRE_ENV
					+ " is true)");
		}
		return ConditionEvaluationResult.disabled(reason);
	}

	static String notFoundMessage() {
		String configured = System.getProperty(MosquittoBroker.EXECUTABLE_PROPERTY);
		return (configured != null && !configured.isBlank()) ? NOT_FOUND + "; " + MosquittoBroker.EXECUTABLE_PROPERTY
				+ "=" + configured + " is not an executable file" : NOT_FOUND;
	}

	static boolean isRequired() {
		return isTrue(System.getProperty(REQUIRE_PROPERTY)) || isTrue(System.getenv(REQUIRE_ENV));
	}

	private static boolean isTrue(String value) {
		return value != null && Boolean.parseBoolean(value.trim());
	}

}
