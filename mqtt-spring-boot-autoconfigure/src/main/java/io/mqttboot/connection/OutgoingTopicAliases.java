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

import java.lang.reflect.Field;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.internal.MqttConnectionState;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the Paho MQTT 5 client from giving publishes outgoing topic aliases. Paho 1.2.5
 * does so by itself whenever the broker's CONNACK allows aliases, and then keeps an
 * aliased QoS 1 or 2 publish in its session state without its topic. Sent again on the
 * next connection of a persistent session, where the alias is unknown, it has neither
 * topic nor alias: the broker closes the connection for a protocol error (0x82), on
 * every reconnect, and the session never recovers (paho.mqtt.java#1104). The saving of
 * an alias (the topic's bytes after its first publish) is not worth that. Paho sets the
 * limit from each CONNACK right before it calls the connect listener, which sets it back
 * to 0 before the connection is reported and the template's buffered sends go out.
 *
 * @author mqttboot
 */
final class OutgoingTopicAliases {

	private static final Log logger = LogFactory.getLog(OutgoingTopicAliases.class);

	private static final @Nullable Field CONNECTION_STATE = connectionStateField();

	private OutgoingTopicAliases() {
	}

	/**
	 * Disable outgoing topic aliases of the client's current connection.
	 * @param client the client, connected
	 */
	static void disable(MqttAsyncClient client) {
		Field field = CONNECTION_STATE;
		if (field == null) {
			return;
		}
		try {
			MqttConnectionState state = (MqttConnectionState) field.get(client);
			if (state != null) {
				state.setOutgoingTopicAliasMaximum(0);
			}
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			logger.debug("Could not disable the outgoing topic aliases of the Paho client", ex);
		}
	}

	private static @Nullable Field connectionStateField() {
		try {
			Field field = MqttAsyncClient.class.getDeclaredField("mqttConnection");
			field.setAccessible(true);
			return field;
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			logger.warn("The Paho MQTT 5 client has no connection state where expected (" + ex
					+ "): it may give publishes outgoing topic aliases, which a persistent session does not survive");
			return null;
		}
	}

}
