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

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.mqttboot.connection.MqttConnection;
import io.mqttboot.core.MqttTemplate;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The {@link MqttTemplate} of each connection, by connection name, for listener replies:
 * the application's template for the default connection, and for a named connection the
 * template bean on that connection (the starter's {@code <name>MqttTemplate}, or one of
 * the application's), looked up once.
 *
 * @author mqttboot
 */
final class ConnectionTemplates implements Function<String, @Nullable MqttTemplate> {

	private final BeanFactory beanFactory;

	private final ObjectProvider<MqttTemplate> defaultTemplate;

	private final Map<String, MqttTemplate> named = new ConcurrentHashMap<>();

	ConnectionTemplates(BeanFactory beanFactory, ObjectProvider<MqttTemplate> defaultTemplate) {
		this.beanFactory = beanFactory;
		this.defaultTemplate = defaultTemplate;
	}

	@Override
	public @Nullable MqttTemplate apply(String connection) {
		if (MqttConnection.DEFAULT_NAME.equals(connection)) {
			return this.defaultTemplate.getIfAvailable();
		}
		MqttTemplate template = this.named.get(connection);
		if (template == null && this.beanFactory instanceof ListableBeanFactory listable) {
			// Named connections' templates are not default candidates: look at every bean.
			template = listable.getBeansOfType(MqttTemplate.class)
				.values()
				.stream()
				.filter((candidate) -> candidate.getConnection().getName().equals(connection))
				.findFirst()
				.orElse(null);
			if (template != null) {
				this.named.put(connection, template);
			}
		}
		return template;
	}

}
