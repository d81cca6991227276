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
package io.mqttboot.sample;

import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.mqttboot.connection.MqttConnection;
import io.mqttboot.core.MqttTemplate;
import io.mqttboot.event.MqttConnectedEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Simulated devices: each announces itself with a retained {@code online} status
 * whenever the connection is established (on each {@link MqttConnectedEvent}, which
 * arrives off the MQTT client's thread, so sending from it is fine) and publishes a JSON reading every
 * {@code sample.interval}; on shutdown each publishes {@code offline} (the connection's
 * will marks the simulator offline if the application dies).
 *
 * @author mqttboot
 */
@Component
class DeviceSimulator implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(DeviceSimulator.class);

	private final MqttTemplate template;

	private final SampleProperties properties;

	private volatile boolean running;

	DeviceSimulator(MqttTemplate template, SampleProperties properties) {
		this.template = template;
		this.properties = properties;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@EventListener(condition = "#event.connectionName == '" + MqttConnection.DEFAULT_NAME + "'")
	void onConnected(MqttConnectedEvent event) {
		logger.debug("Connected to " + event.getServerUri() + " (session present: " + event.isSessionPresent()
				+ "): announcing the devices");
		announce();
	}

	private void announce() {
		this.properties.devices().forEach((device) -> this.template.send(statusTopic(device), "online", 1, true));
	}

	@Scheduled(fixedRateString = "${sample.interval}", initialDelay = 500)
	void publishReadings() {
		if (!this.running) {
			return;
		}
		for (String device : this.properties.devices()) {
			double celsius = 21 + ThreadLocalRandom.current().nextGaussian() * 4;
			Reading reading = new Reading(Math.round(celsius * 10) / 10.0, Instant.now());
			this.template.send("sensors/" + device + "/temperature", reading).exceptionally((ex) -> {
				logger.debug("Reading of " + device + " not sent: " + ex.getMessage());
				return null;
			});
		}
	}

	@Override
	public void stop() {
		this.running = false;
		this.properties.devices().forEach((device) -> {
			try {
				this.template.send(statusTopic(device), "offline", 1, true).get(2, TimeUnit.SECONDS);
			}
			catch (Exception ex) {
				logger.debug("Offline status of " + device + " not sent: " + ex.getMessage());
			}
		});
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private static String statusTopic(String device) {
		return "devices/" + device + "/status";
	}

}
