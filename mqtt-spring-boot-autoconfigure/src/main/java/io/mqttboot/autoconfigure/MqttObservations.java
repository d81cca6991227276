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
import io.mqttboot.core.MqttTemplate;
import io.mqttboot.observation.MqttListenerObservationConvention;
import io.mqttboot.observation.MqttPublishObservationConvention;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Gives the application's observation registry and conventions to the templates and
 * the listener container factory configurer. A bean only when observations are on (see
 * {@link MqttObservationConfiguration}), so that nothing touches Micrometer otherwise.
 *
 * @author mqttboot
 */
final class MqttObservations {

	private final ObjectProvider<ObservationRegistry> observationRegistry;

	private final ObjectProvider<MqttPublishObservationConvention> publishConvention;

	private final ObjectProvider<MqttListenerObservationConvention> listenerConvention;

	MqttObservations(ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<MqttPublishObservationConvention> publishConvention,
			ObjectProvider<MqttListenerObservationConvention> listenerConvention) {
		this.observationRegistry = observationRegistry;
		this.publishConvention = publishConvention;
		this.listenerConvention = listenerConvention;
	}

	/**
	 * Observe the sends of a template, if there is an observations bean.
	 * @param template the template
	 * @param observations the observations bean, if any
	 * @return the template
	 */
	static MqttTemplate observe(MqttTemplate template, ObjectProvider<MqttObservations> observations) {
		MqttObservations available = observations.getIfAvailable();
		if (available != null) {
			available.observe(template);
		}
		return template;
	}

	/**
	 * Observe the listeners of a configurer's factories, if there is an observations
	 * bean.
	 * @param configurer the configurer
	 * @param observations the observations bean, if any
	 * @return the configurer
	 */
	static MqttListenerContainerFactoryConfigurer observe(MqttListenerContainerFactoryConfigurer configurer,
			ObjectProvider<MqttObservations> observations) {
		MqttObservations available = observations.getIfAvailable();
		if (available != null) {
			available.observe(configurer);
		}
		return configurer;
	}

	private void observe(MqttTemplate template) {
		ObservationRegistry registry = this.observationRegistry.getIfUnique();
		if (registry != null) {
			template.setObservationRegistry(registry);
			template.setObservationConvention(this.publishConvention.getIfUnique());
		}
	}

	private void observe(MqttListenerContainerFactoryConfigurer configurer) {
		ObservationRegistry registry = this.observationRegistry.getIfUnique();
		if (registry != null) {
			configurer.setObservationRegistry(registry);
			configurer.setObservationConvention(this.listenerConvention.getIfUnique());
		}
	}

}
