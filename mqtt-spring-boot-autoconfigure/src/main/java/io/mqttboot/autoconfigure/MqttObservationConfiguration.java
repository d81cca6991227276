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

import io.micrometer.observation.ObservationRegistry;
import io.mqttboot.observation.MqttListenerObservationConvention;
import io.mqttboot.observation.MqttPublishObservationConvention;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code mqtt.publish} and {@code mqtt.listener} observations, when Micrometer's
 * Observation API is on the class path and {@code mqtt.observations.enabled} is not
 * {@code false}: the templates and the listener container factory get the
 * application's {@link ObservationRegistry} (none: no observation) and its
 * {@link MqttPublishObservationConvention} and {@link MqttListenerObservationConvention}
 * beans, if any.
 *
 * @author mqttboot
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBooleanProperty(name = "mqtt.observations.enabled", matchIfMissing = true)
class MqttObservationConfiguration {

	@Bean
	MqttObservations mqttObservations(ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<MqttPublishObservationConvention> publishConvention,
			ObjectProvider<MqttListenerObservationConvention> listenerConvention) {
		return new MqttObservations(observationRegistry, publishConvention, listenerConvention);
	}

}
