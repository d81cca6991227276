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

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the sample.
 *
 * @param devices names of the simulated devices
 * @param interval time between two readings of one device
 * @param alertThreshold temperature, in degrees Celsius, above which an alert is sent
 * @param window number of readings in the rolling average
 * @author mqttboot
 */
@ConfigurationProperties("sample")
public record SampleProperties(List<String> devices, Duration interval, double alertThreshold, int window) {

}
