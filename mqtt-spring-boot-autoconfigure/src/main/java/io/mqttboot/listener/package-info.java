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
/**
 * Annotation-driven MQTT listeners: {@link io.mqttboot.listener.MqttListener @MqttListener}
 * methods, the {@link io.mqttboot.listener.MqttListenerContainerFactory container factory}
 * that builds each listener's container (its threads, error handler and replies), the
 * {@link io.mqttboot.listener.MqttListenerEndpointRegistry registry} that starts and
 * stops them, the per-connection subscription manager that subscribes them on the shared
 * connection, routes inbound messages and acknowledges them after the listener returned,
 * and the error handler contract.
 */
@NullMarked
package io.mqttboot.listener;

import org.jspecify.annotations.NullMarked;
