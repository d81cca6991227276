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

/**
 * Receives the messages of the connection that no per-subscription Paho listener took
 * (those of the starter's own subscriptions), and hears of every (re)connection. All
 * receivers of one client manager share one dispatcher, which acknowledges each message
 * exactly once: at once when no receiver {@link InboundDelivery#hold() holds} it, or
 * else when the last hold is released.
 * <p>
 * Internal SPI of the starter, shared by the template and the listeners: not meant for
 * application code and subject to change.
 *
 * @author mqttboot
 * @see MqttConnection#open(MqttInboundReceiver)
 */
public interface MqttInboundReceiver {

	/**
	 * Take a message, on Paho's callback thread: never block. A receiver that processes
	 * the message on another thread {@link InboundDelivery#hold() holds} it before
	 * returning.
	 * @param delivery the message and its acknowledgement
	 * @return whether the message belongs to one of this receiver's subscriptions
	 * (messages that belong to none are logged once per topic)
	 */
	boolean receive(InboundDelivery delivery);

	/**
	 * Called on every (re)connection, after {@link MqttConnection#currentConnection()}
	 * counted it.
	 */
	default void connected() {
	}

}
