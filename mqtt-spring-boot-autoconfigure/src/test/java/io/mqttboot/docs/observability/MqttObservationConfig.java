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
package io.mqttboot.docs.observability;

import io.micrometer.common.KeyValues;
import io.mqttboot.observation.DefaultMqttListenerObservationConvention;
import io.mqttboot.observation.MqttListenerObservationContext;
import io.mqttboot.observation.MqttListenerObservationConvention;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The example of a replaced observation convention in {@code docs/observability.md}.
 * Kept here so that the example compiles as shown; {@code MqttObservationIntegrationTests}
 * checks that such a bean replaces the default convention.
 *
 * @author mqttboot
 */
// tag::convention[]
@Configuration(proxyBeanMethods = false)
public class MqttObservationConfig {

	// Every mqtt.listener timer and span gets the application's region as a tag
	@Bean
	MqttListenerObservationConvention mqttListenerObservationConvention(@Value("${app.region}") String region) {
		return new DefaultMqttListenerObservationConvention() {

			@Override
			public KeyValues getLowCardinalityKeyValues(MqttListenerObservationContext context) {
				return super.getLowCardinalityKeyValues(context).and("region", region);
			}

		};
	}

}
// end::convention[]
