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
package io.mqttboot.listener;

import java.util.ArrayList;
import java.util.List;

import io.mqttboot.core.JacksonSupport;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.AbstractMessageConverter;
import org.springframework.messaging.converter.ByteArrayMessageConverter;
import org.springframework.messaging.converter.CompositeMessageConverter;
import org.springframework.messaging.converter.ContentTypeResolver;
import org.springframework.messaging.converter.DefaultContentTypeResolver;
import org.springframework.messaging.converter.JacksonJsonMessageConverter;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.util.MimeType;

/**
 * The payload converters of the listeners: {@code String} (UTF-8 unless the content
 * type names another charset), {@code byte[]}, and JSON for any other type with Jackson
 * 3 (the application's {@code JsonMapper} when it has exactly one). The MQTT 5 content
 * type does not select a converter: it is free text that publishers often leave out, so
 * the target type alone decides.
 *
 * @author mqttboot
 */
final class ListenerMessageConverters {

	private ListenerMessageConverters() {
	}

	/**
	 * Create the converter.
	 * @param beanFactory the bean factory to find a {@code JsonMapper} in, or
	 * {@code null}
	 * @return the converter
	 */
	static MessageConverter create(@Nullable BeanFactory beanFactory) {
		List<MessageConverter> converters = new ArrayList<>();
		converters.add(lenient(new StringMessageConverter() {

			@Override
			protected boolean supportsMimeType(MessageHeaders headers) {
				return true;
			}

		}));
		converters.add(lenient(new ByteArrayMessageConverter() {

			@Override
			protected boolean supportsMimeType(MessageHeaders headers) {
				return true;
			}

		}));
		if (JacksonSupport.isPresent()) {
			converters.add(lenient(JsonSupport.converter(beanFactory)));
		}
		return new CompositeMessageConverter(converters);
	}

	private static MessageConverter lenient(AbstractMessageConverter converter) {
		converter.setContentTypeResolver(new LenientContentTypeResolver());
		return converter;
	}

	/**
	 * A content type that is not a MIME type (an {@code InvalidMimeTypeException}) is
	 * ignored instead of failing conversion.
	 */
	private static final class LenientContentTypeResolver implements ContentTypeResolver {

		private final ContentTypeResolver delegate = new DefaultContentTypeResolver();

		@Override
		public @Nullable MimeType resolve(@Nullable MessageHeaders headers) {
			try {
				return this.delegate.resolve(headers);
			}
			catch (IllegalArgumentException ex) {
				return null;
			}
		}

	}

	/**
	 * Kept apart so that Jackson is loaded only when present.
	 */
	private static final class JsonSupport {

		static AbstractMessageConverter converter(@Nullable BeanFactory beanFactory) {
			JsonMapper jsonMapper = (beanFactory != null) ? beanFactory.getBeanProvider(JsonMapper.class).getIfUnique()
					: null;
			if (jsonMapper != null) {
				return new JacksonJsonMessageConverter(jsonMapper) {

					@Override
					protected boolean supportsMimeType(MessageHeaders headers) {
						return true;
					}

				};
			}
			return new JacksonJsonMessageConverter() {

				@Override
				protected boolean supportsMimeType(MessageHeaders headers) {
					return true;
				}

			};
		}

	}

}
