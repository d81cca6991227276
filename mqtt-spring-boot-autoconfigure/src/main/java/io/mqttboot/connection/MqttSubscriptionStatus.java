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

import java.util.Map;

/**
 * Subscriptions the broker refused on the current connections. Implemented by the
 * listener registry; the health indicator of each connection shows its own.
 *
 * @author mqttboot
 */
public interface MqttSubscriptionStatus {

	/**
	 * Return the subscriptions the broker refused on the current connections, with the
	 * reason.
	 * @return the reasons by topic filter; empty when every subscription was granted
	 */
	Map<String, String> getFailedSubscriptions();

	/**
	 * Return the subscriptions the broker refused on the current connection of the given
	 * name, with the reason.
	 * @param connectionName the name of the connection
	 * @return the reasons by topic filter; empty when every subscription was granted
	 */
	default Map<String, String> getFailedSubscriptions(String connectionName) {
		return MqttConnection.DEFAULT_NAME.equals(connectionName) ? getFailedSubscriptions() : Map.of();
	}

}
