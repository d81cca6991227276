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

import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jspecify.annotations.Nullable;

/**
 * Quiets Paho's own log lines (java.util.logging) that repeat what the starter logs.
 *
 * @author mqttboot
 */
final class PahoLogging {

	private static final String KEEP_ALIVE_TIMEOUT = "Timed out as no activity";

	private PahoLogging() {
	}

	/**
	 * Return the logger of the given name, unless the application set a level or a
	 * filter on it.
	 * @param name the logger name
	 * @return the logger, or {@code null} when the application configured it
	 */
	static @Nullable Logger unlessConfigured(String name) {
		Logger logger = Logger.getLogger(name);
		return (logger.getLevel() == null && logger.getFilter() == null) ? logger : null;
	}

	/**
	 * Lower Paho's SEVERE "Timed out as no activity" (a keep-alive timeout, which the
	 * starter reports as a lost connection) to FINE on the given logger; other records
	 * pass unchanged. Does nothing to a logger with a filter of the application's.
	 * @param logger a Paho {@code ClientState} logger, or {@code null}
	 * @return the logger
	 */
	static @Nullable Logger lowerKeepAliveTimeout(@Nullable Logger logger) {
		if (logger == null || logger.getFilter() != null) {
			return logger;
		}
		logger.setFilter(new KeepAliveTimeoutFilter(logger));
		return logger;
	}

	private static final class KeepAliveTimeoutFilter implements Filter {

		private final Logger logger;

		KeepAliveTimeoutFilter(Logger logger) {
			this.logger = logger;
		}

		@Override
		public boolean isLoggable(LogRecord record) {
			String message = record.getMessage();
			if (record.getLevel() == Level.SEVERE && message != null && message.contains(KEEP_ALIVE_TIMEOUT)) {
				record.setLevel(Level.FINE);
				Level level = effectiveLevel(this.logger);
				return level.intValue() <= Level.FINE.intValue();
			}
			return true;
		}

		private static Level effectiveLevel(Logger logger) {
			for (Logger candidate = logger; candidate != null; candidate = candidate.getParent()) {
				if (candidate.getLevel() != null) {
					return candidate.getLevel();
				}
			}
			return Level.INFO;
		}

	}

}
