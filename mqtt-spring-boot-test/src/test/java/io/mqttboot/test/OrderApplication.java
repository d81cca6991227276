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


import io.mqttboot.core.MqttTemplate;
import io.mqttboot.listener.MqttListener;
import io.mqttboot.listener.TopicVariable;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.integration.mqtt.support.MqttHeaders;
import org.springframework.messaging.support.MessageBuilder;

/**
 * The application of the module's tests: a listener takes orders from
 * {@code orders/{id}} and confirms each with the template on {@code confirmations/{id}}.
 *
 * @author mqttboot
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import(OrderApplication.OrderListener.class)
class OrderApplication {

	/**
	 * An order.
	 *
	 * @param item the item
	 * @param quantity how many
	 */
	record Order(String item, int quantity) {

	}

	/**
	 * The confirmation of an order.
	 *
	 * @param id the order id
	 * @param item the item
	 * @param quantity how many
	 */
	record Confirmation(String id, String item, int quantity) {

	}

	static class OrderListener {

		private final MqttTemplate template;

		OrderListener(MqttTemplate template) {
			this.template = template;
		}

		@MqttListener(id = "orders", topics = "orders/{id}")
		void onOrder(Order order, @TopicVariable("id") String id) {
			this.template.send(MessageBuilder.withPayload(new Confirmation(id, order.item(), order.quantity()))
				.setHeader(MqttHeaders.TOPIC, "confirmations/" + id)
				.setHeader(MqttHeaders.QOS, 1)
				.setHeader("order-id", id)
				.build());
		}

	}

}
