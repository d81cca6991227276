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
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * The current state of every device: latest reading, rolling average, status.
 *
 * @author mqttboot
 */
@Component
public class DeviceRegistry {

	private final Map<String, Device> devices = new ConcurrentHashMap<>();

	private final int window;

	DeviceRegistry(SampleProperties properties) {
		this.window = properties.window();
	}

	void record(String device, Reading reading) {
		this.devices.computeIfAbsent(device, (name) -> new Device(this.window)).record(reading);
	}

	void status(String device, String status) {
		this.devices.computeIfAbsent(device, (name) -> new Device(this.window)).status = status;
	}

	/**
	 * Return a snapshot of every device, by name.
	 * @return the devices
	 */
	public Map<String, DeviceState> snapshot() {
		Map<String, DeviceState> snapshot = new TreeMap<>();
		this.devices.forEach((name, device) -> snapshot.put(name, device.state()));
		return snapshot;
	}

	/**
	 * The state of one device.
	 *
	 * @param status the last status ({@code online}/{@code offline}) or {@code null}
	 * @param latest the latest reading or {@code null}
	 * @param average the average of the last readings, or {@code null}
	 * @param readings the number of readings received
	 * @param lastSeen when the latest reading was received, or {@code null}
	 */
	public record DeviceState(@Nullable String status, @Nullable Reading latest, @Nullable Double average,
			long readings, @Nullable Instant lastSeen) {

	}

	private static final class Device {

		private final int window;

		private final Deque<Double> recent = new ArrayDeque<>();

		private volatile @Nullable String status;

		private @Nullable Reading latest;

		private long readings;

		private @Nullable Instant lastSeen;

		Device(int window) {
			this.window = window;
		}

		synchronized void record(Reading reading) {
			this.latest = reading;
			this.readings++;
			this.lastSeen = Instant.now();
			this.recent.addLast(reading.celsius());
			if (this.recent.size() > this.window) {
				this.recent.removeFirst();
			}
		}

		synchronized DeviceState state() {
			Double average = this.recent.isEmpty() ? null
					: Math.round(this.recent.stream().mapToDouble(Double::doubleValue).average().orElse(0) * 100)
							/ 100.0;
			return new DeviceState(this.status, this.latest, average, this.readings, this.lastSeen);
		}

	}

}
