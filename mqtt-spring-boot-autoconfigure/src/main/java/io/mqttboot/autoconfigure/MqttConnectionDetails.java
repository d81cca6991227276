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
package io.mqttboot.autoconfigure;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;
import org.springframework.boot.ssl.SslBundle;

/**
 * Details required to establish a connection to an MQTT broker. Backed by the
 * {@code mqtt.*} properties by default; a service connection (Testcontainers, Docker
 * Compose) or a bean of the application replaces it.
 *
 * @author mqttboot
 */
public interface MqttConnectionDetails extends ConnectionDetails {

	/**
	 * Broker URLs, tried in order. Schemes: {@code mqtt}/{@code tcp}, {@code mqtts}/
	 * {@code ssl}, {@code ws} and {@code wss}.
	 * @return the broker URLs
	 */
	List<String> getUrls();

	/**
	 * Login user of the broker. Read again before every connection attempt (the first one
	 * and every reconnect), so that an implementation may return rotated credentials.
	 * @return the login user or {@code null}
	 */
	default @Nullable String getUsername() {
		return null;
	}

	/**
	 * Login password of the broker. Read again before every connection attempt (the first
	 * one and every reconnect), so that an implementation may return a fresh token; it is
	 * never logged.
	 * @return the login password or {@code null}
	 */
	default @Nullable String getPassword() {
		return null;
	}

	/**
	 * SSL bundle to use for TLS URLs.
	 * @return the SSL bundle or {@code null} to use the default trust store of the JVM
	 */
	default @Nullable SslBundle getSslBundle() {
		return null;
	}

}
