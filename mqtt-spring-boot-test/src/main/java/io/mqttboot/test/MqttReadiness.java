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

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.mqttboot.connection.MqttConnection;
import io.mqttboot.connection.MqttConnections;
import io.mqttboot.listener.MqttListenerEndpointRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.context.SmartLifecycle;

/**
 * Holds the start of a test context until its default MQTT connection is up and every
 * running listener is subscribed: a {@link SmartLifecycle} of the last phase, so it
 * starts after the client manager and the listener registry, and the context is handed
 * to the tests only once it returned. Fails the start, naming what is missing, when the
 * timeout passes.
 *
 * @author mqttboot
 */
final class MqttReadiness implements SmartLifecycle, BeanFactoryAware {

	private static final Log logger = LogFactory.getLog(MqttReadiness.class);

	private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

	private final Duration timeout;

	private @Nullable BeanFactory beanFactory;

	private volatile boolean running;

	MqttReadiness(Duration timeout) {
		this.timeout = timeout;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public void start() {
		BeanFactory beanFactory = this.beanFactory;
		MqttConnections connections = (beanFactory != null)
				? beanFactory.getBeanProvider(MqttConnections.class).getIfAvailable() : null;
		if (connections == null || !connections.getNames().contains(MqttConnection.DEFAULT_NAME)) {
			this.running = true;
			return;
		}
		MqttConnection connection = connections.get(MqttConnection.DEFAULT_NAME);
		MqttListenerEndpointRegistry registry = beanFactory.getBeanProvider(MqttListenerEndpointRegistry.class)
			.getIfAvailable();
		long begin = System.nanoTime();
		long deadline = begin + this.timeout.toNanos();
		List<String> missing = missing(connection, registry);
		while (!missing.isEmpty()) {
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException(describe(missing, connection, registry));
			}
			LockSupport.parkNanos(POLL_NANOS);
			missing = missing(connection, registry);
		}
		if (logger.isDebugEnabled()) {
			logger.debug("MQTT connection and listeners ready after "
					+ TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin) + " ms");
		}
		this.running = true;
	}

	private static List<String> missing(MqttConnection connection, @Nullable MqttListenerEndpointRegistry registry) {
		List<String> missing = new ArrayList<>();
		if (!connection.isConnected()) {
			missing.add("the connection to " + connection.getServerUri() + " is not up");
			return missing;
		}
		if (registry != null) {
			for (String id : registry.getListenerIds()) {
				if (registry.isRunning(id) && !registry.isSubscribed(id)) {
					missing.add("the listener '" + id + "' is not subscribed");
				}
			}
		}
		return missing;
	}

	private String describe(List<String> missing, MqttConnection connection,
			@Nullable MqttListenerEndpointRegistry registry) {
		StringBuilder message = new StringBuilder("The MQTT test context was not ready within ")
			.append((this.timeout.toMillis() % 1000 == 0) ? this.timeout.toSeconds() + " s"
					: this.timeout.toMillis() + " ms")
			.append(" (@EmbeddedMqttBroker(readyTimeout)): ")
			.append(String.join(", ", missing));
		String reason = connection.getLastDisconnectReason();
		if (reason != null) {
			message.append("; last connection failure: ").append(reason);
		}
		Map<String, String> failed = (registry != null) ? registry.getFailedSubscriptions() : Map.of();
		if (!failed.isEmpty()) {
			message.append("; subscriptions refused by the broker: ").append(failed);
		}
		return message.toString();
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE;
	}

}
