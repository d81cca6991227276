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
package io.mqttboot.docs.listeners;

import io.mqttboot.core.MqttTemplate;
import io.mqttboot.listener.MqttListenerErrorHandler;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The error handler example of {@code docs/listeners.md}, compiled as shown.
 *
 * @author mqttboot
 */
// tag::error-handler[]
@Configuration(proxyBeanMethods = false)
class DeadLetterConfiguration {

	@Bean
	MqttListenerErrorHandler mqttListenerErrorHandler(MqttTemplate template) {
		return (message, ex) -> template.send("dead-letter/" + ex.getTopic(), message.getPayload(), 1, false);
	}

}
// end::error-handler[]
