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
package io.mqttboot.test;

/**
 * What the broker-independent integration test suites need of a broker the tests started.
 *
 * @author mqttboot
 */
public interface TestBroker extends AutoCloseable {

	/** Port of the plain MQTT listener on 127.0.0.1. */
	int port();

	/** Paho style URL of the plain listener: {@code tcp://127.0.0.1:port}. */
	String tcpUrl();

	/** {@code mqtt://127.0.0.1:port}. */
	String mqttUrl();

	/** Port of the WebSocket listener, if the broker has one. */
	default int wsPort() {
		throw new UnsupportedOperationException(this + " has no WebSocket listener");
	}

	/** URL of the WebSocket listener ({@code ws://127.0.0.1:port/mqtt}), if the broker has one. */
	default String wsUrl() {
		throw new UnsupportedOperationException(this + " has no WebSocket listener");
	}

	/** Stop the broker. */
	void stop();

	/** Start the broker again on the same ports. */
	void start();

	/** Stop and start again on the same ports. */
	void restart();

	@Override
	void close();

}
