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

import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Texts for failures, shared by the client managers, the connection supervisor, the
 * client adapters and the template: they never contain credentials or payloads.
 *
 * @author mqttboot
 */
final class MqttFailures {

	// The password of the user-info part of a URI: scheme://user:password@host
	private static final Pattern URI_PASSWORD = Pattern.compile("(\\b[a-zA-Z][\\w+.-]*://[^/:@\\s,]*:)[^/@\\s,]*@");

	private MqttFailures() {
	}

	/**
	 * Return a text with the password of every URI in it ({@code scheme://user:password@host})
	 * replaced by {@code ******}.
	 * @param text the text, for example a server URI or an exception message
	 * @return the text without passwords
	 */
	static String redact(String text) {
		return (text.indexOf('@') >= 0) ? URI_PASSWORD.matcher(text).replaceAll("$1******@") : text;
	}

	/**
	 * Return the cause of a {@link CompletionException}, else the exception itself.
	 * @param ex the exception
	 * @return the failure
	 */
	static Throwable unwrap(Throwable ex) {
		return (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
	}

	/**
	 * Describe a failure, unwrapped first, for a log line.
	 * @param ex the failure
	 * @param reasonCode the MQTT or Paho reason code of a failure, or {@code null}
	 * @return the description
	 * @see #describe(Throwable, Integer)
	 */
	static String describe(Throwable ex, Function<Throwable, @Nullable Integer> reasonCode) {
		Throwable failure = unwrap(ex);
		return describe(failure, reasonCode.apply(failure));
	}

	/**
	 * Describe a failure for a log line: its message, the MQTT reason code and the
	 * underlying cause (for example an unknown host or a refused connection). Paho's
	 * messages never contain credentials.
	 * @param failure the failure
	 * @param reasonCode the MQTT or Paho reason code, if any
	 * @return the description
	 */
	static String describe(Throwable failure, @Nullable Integer reasonCode) {
		Throwable cause = failure.getCause();
		String message = failure.getMessage();
		StringBuilder description = new StringBuilder();
		if (message != null && !message.startsWith("Untranslated MqttException")) {
			description.append(message);
		}
		else if (cause == null) {
			description.append(failure.getClass().getSimpleName());
		}
		if (reasonCode != null && reasonCode != 0) {
			description.append(" (reason code ").append(reasonCode).append(')');
		}
		if (cause != null && cause != failure) {
			if (!description.isEmpty()) {
				description.append(": ");
			}
			description.append(cause.getClass().getSimpleName());
			if (cause.getMessage() != null) {
				description.append(": ").append(cause.getMessage());
			}
		}
		return redact(description.toString());
	}

	/**
	 * Return the simple class name and the message of an exception.
	 * @param ex the exception
	 * @return the summary
	 */
	static String summary(Throwable ex) {
		return ex.getClass().getSimpleName() + ((ex.getMessage() != null) ? ": " + redact(ex.getMessage()) : "");
	}

	/**
	 * Return the meaning of an MQTT 5 SUBACK failure reason code.
	 * @param code the reason code, 0x80 or above
	 * @return its meaning
	 */
	static String subscribeReason(int code) {
		return switch (code) {
			case 0x80 -> "Unspecified error";
			case 0x83 -> "Implementation specific error";
			case 0x87 -> "Not authorized";
			case 0x8F -> "Topic Filter invalid";
			case 0x91 -> "Packet Identifier in use";
			case 0x97 -> "Quota exceeded";
			case 0x9E -> "Shared Subscriptions not supported";
			case 0xA1 -> "Subscription Identifiers not supported";
			case 0xA2 -> "Wildcard Subscriptions not supported";
			default -> "refused";
		};
	}

}
