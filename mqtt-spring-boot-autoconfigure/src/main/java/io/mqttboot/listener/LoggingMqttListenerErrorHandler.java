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
package io.mqttboot.listener;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;

import org.springframework.messaging.Message;
import org.springframework.util.ClassUtils;

/**
 * The default {@link MqttListenerErrorHandler}: logs one line at ERROR level with the
 * listener id, the topic, the target type and the cause, never the payload (for a JSON
 * payload that cannot be read, the JSON path and the position in the payload). The stack
 * trace of an exception thrown by a listener is logged at DEBUG level.
 * <p>
 * Rate-limited per listener: its first {@value #LOGGED_IN_FULL} failures in a minute are
 * logged in full, the further ones of that minute in one summary line with their count,
 * so that a stream of bad messages does not flood the log.
 *
 * @author mqttboot
 */
public class LoggingMqttListenerErrorHandler implements MqttListenerErrorHandler {

	/**
	 * Failures of one listener logged in full per minute.
	 */
	public static final int LOGGED_IN_FULL = 10;

	private static final long WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);

	private static final boolean JACKSON_PRESENT = ClassUtils.isPresent("tools.jackson.core.JacksonException",
			LoggingMqttListenerErrorHandler.class.getClassLoader());

	private static final Log logger = LogFactory.getLog(LoggingMqttListenerErrorHandler.class);

	private final Map<String, Window> windows = new ConcurrentHashMap<>();

	@Override
	public void handleError(Message<byte[]> message, MqttListenerExecutionFailedException exception) {
		if (!logger.isErrorEnabled()) {
			return;
		}
		long suppressed = this.windows.computeIfAbsent(exception.getListenerId(), (id) -> new Window()).count();
		if (suppressed == Window.SKIP) {
			return;
		}
		if (suppressed == Window.ANNOUNCE) {
			logger.error("MQTT listener '" + exception.getListenerId() + "' failed " + (LOGGED_IN_FULL + 1)
					+ " times within a minute: its further failures of this minute are counted, and logged in one "
					+ "line with the next failure after it (the last one: topic '" + exception.getTopic() + "', "
					+ describe(exception) + ")");
			return;
		}
		String line = ((suppressed > 0) ? "MQTT listener '" + exception.getListenerId() + "' failed " + suppressed
				+ " more time(s) in the last minute (not logged one by one); the last: " : "")
				+ "MQTT listener '" + exception.getListenerId() + "' could not process a message from topic '"
				+ exception.getTopic() + "' (target type " + exception.getTargetType() + "): " + describe(exception);
		if (!exception.isConversionFailure() && logger.isDebugEnabled()) {
			logger.error(line, exception.getCause());
		}
		else {
			logger.error(line);
		}
	}

	// A conversion failure names the exception types only: a parser's message can quote
	// the payload.
	private static String describe(MqttListenerExecutionFailedException exception) {
		Throwable cause = exception.getCause();
		if (cause == null) {
			return exception.getMessage();
		}
		if (exception.isConversionFailure()) {
			StringBuilder types = new StringBuilder("payload not convertible (");
			Throwable current = cause;
			String separator = "";
			while (current != null) {
				types.append(separator).append(current.getClass().getName());
				separator = " caused by ";
				current = (current.getCause() != current) ? current.getCause() : null;
			}
			types.append(')');
			if (JACKSON_PRESENT) {
				String position = JsonPosition.describe(cause);
				if (position != null) {
					types.append(' ').append(position);
				}
			}
			return types.toString();
		}
		// Not toString(): a MessagingException appends the failed message, headers included.
		return cause.getClass().getName() + ": " + cause.getMessage();
	}

	/**
	 * One listener's failures of the current minute.
	 */
	private static final class Window {

		private long start = System.nanoTime();

		private long count;

		private long reported;

		static final long SKIP = -1;

		static final long ANNOUNCE = -2;

		/**
		 * Count a failure.
		 * @return 0 to log it in full, a positive count of failures not logged before it
		 * to log it with a summary, {@link #ANNOUNCE} for the first one not logged in
		 * full, or {@link #SKIP}
		 */
		synchronized long count() {
			long now = System.nanoTime();
			if (now - this.start > WINDOW_NANOS) {
				long unreported = this.count - this.reported;
				this.start = now;
				this.count = 1;
				this.reported = 0;
				// A summary of the minute before, with this failure
				return (unreported > 0) ? unreported : 0;
			}
			this.count++;
			if (this.count <= LOGGED_IN_FULL) {
				this.reported = this.count;
				return 0;
			}
			if (this.count == LOGGED_IN_FULL + 1) {
				this.reported = this.count;
				return ANNOUNCE;
			}
			return SKIP;
		}

	}

	/**
	 * Kept apart so that Jackson is loaded only when present.
	 */
	private static final class JsonPosition {

		// The path and the position of a JSON failure, never its message (which can quote
		// the payload)
		static @Nullable String describe(Throwable failure) {
			for (Throwable current = failure; current != null; current = current.getCause()) {
				if (current instanceof JacksonException json) {
					String path = json.getPathReference();
					StringBuilder position = new StringBuilder(
							(path == null || path.isEmpty()) ? "at the top level of the JSON document"
									: "at JSON path " + path);
					TokenStreamLocation location = json.getLocation();
					if (location != null && location.getLineNr() > 0) {
						position.append(", line ").append(location.getLineNr()).append(", column ")
							.append(location.getColumnNr());
					}
					return position.toString();
				}
				if (current.getCause() == current) {
					break;
				}
			}
			return null;
		}

	}

}
