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

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * {@link ContextCustomizerFactory} of the contexts of test classes annotated with
 * {@link EmbeddedMqttBroker @EmbeddedMqttBroker} (directly, as a meta-annotation, or on
 * an enclosing class of a {@code @Nested} test).
 *
 * @author mqttboot
 */
class EmbeddedMqttBrokerContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		EmbeddedMqttBroker annotation = TestContextAnnotationUtils.findMergedAnnotation(testClass,
				EmbeddedMqttBroker.class);
		return (annotation != null) ? new EmbeddedMqttBrokerContextCustomizer(annotation.readyTimeout()) : null;
	}

}
