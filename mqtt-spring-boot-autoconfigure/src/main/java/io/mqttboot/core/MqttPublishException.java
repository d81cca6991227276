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
package io.mqttboot.core;

import org.jspecify.annotations.Nullable;

/**
 * Thrown (as the cause of a failed {@code CompletableFuture}) when a publish of the
 * {@link MqttTemplate} was not acknowledged: the client is not connected, the connection
 * was lost before the acknowledgement, or the broker rejected the message with a reason
 * code of {@code 0x80} or above.
 *
 * @author mqttboot
 */
public class MqttPublishException extends RuntimeException {

	/**
	 * The reason code used when no reason code is known.
	 */
	public static final int NO_REASON_CODE = -1;

	private final int reasonCode;

	/**
	 * Create a new exception.
	 * @param message the detail message
	 * @param reasonCode the MQTT reason code sent by the broker (for example
	 * {@code 0x87}, not authorized) or the Paho client reason code (for example
	 * {@code 32104}, not connected), or {@link #NO_REASON_CODE}
	 * @param cause the cause, or {@code null}
	 */
	public MqttPublishException(String message, int reasonCode, @Nullable Throwable cause) {
		super(message, cause);
		this.reasonCode = reasonCode;
	}

	/**
	 * Return the MQTT reason code sent by the broker (0x80 and above) or the Paho client
	 * reason code (32000 and above), or {@link #NO_REASON_CODE}.
	 * @return the reason code
	 */
	public int getReasonCode() {
		return this.reasonCode;
	}

}
