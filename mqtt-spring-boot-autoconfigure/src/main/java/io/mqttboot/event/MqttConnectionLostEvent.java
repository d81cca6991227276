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
package io.mqttboot.event;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEvent;
import org.springframework.util.Assert;

/**
 * Published when an established connection ended other than by the application's own
 * stop: the broker closed it or sent DISCONNECT, the network failed, or keep-alive timed
 * out. Failed connection attempts are not lost connections and publish nothing. The
 * source is the {@code io.mqttboot.connection.MqttConnection}.
 * <p>
 * Published on a thread of the connection ({@code mqtt-events-<name>}), never on Paho's
 * callback thread, in order with the {@link MqttConnectedEvent connected events} of the
 * same connection.
 *
 * @author mqttboot
 */
public class MqttConnectionLostEvent extends ApplicationEvent {

	private final String connectionName;

	private final @Nullable Throwable cause;

	private final @Nullable Integer reasonCode;

	/**
	 * Create a new event.
	 * @param source the connection ({@code io.mqttboot.connection.MqttConnection})
	 * @param connectionName the name of the connection ({@code default} for the default
	 * one)
	 * @param cause the failure that ended the connection, or {@code null}
	 * @param reasonCode the reason code, or {@code null}
	 */
	public MqttConnectionLostEvent(Object source, String connectionName, @Nullable Throwable cause,
			@Nullable Integer reasonCode) {
		super(source);
		Assert.hasText(connectionName, "'connectionName' must not be empty");
		this.connectionName = connectionName;
		this.cause = cause;
		this.reasonCode = reasonCode;
	}

	/**
	 * Return the name of the connection: {@code default}, or the name of a
	 * {@code mqtt.connections.<name>} entry.
	 * @return the connection name
	 */
	public String getConnectionName() {
		return this.connectionName;
	}

	/**
	 * Return the failure that ended the connection, as Paho reported it (for example an
	 * {@code MqttException} "Connection lost" with an {@code EOFException} when the broker
	 * closed the socket).
	 * @return the failure, or {@code null} when the broker ended the connection with a
	 * DISCONNECT (MQTT 5)
	 */
	public @Nullable Throwable getCause() {
		return this.cause;
	}

	/**
	 * Return the reason code: with MQTT 5 the reason code of the broker's DISCONNECT (for
	 * example {@code 0x8E}, session taken over), otherwise Paho's client reason code of
	 * the failure (for example {@code 32109}, connection lost, or {@code 32000}, timed out
	 * waiting for a response).
	 * @return the reason code, or {@code null}
	 */
	public @Nullable Integer getReasonCode() {
		return this.reasonCode;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[connection=" + this.connectionName + ", reasonCode=" + this.reasonCode
				+ ", cause=" + this.cause + "]";
	}

}
