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
package io.mqttboot.core;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.AbstractMessageConverter;
import org.springframework.messaging.converter.ByteArrayMessageConverter;
import org.springframework.messaging.converter.CompositeMessageConverter;
import org.springframework.messaging.converter.ContentTypeResolver;
import org.springframework.messaging.converter.DefaultContentTypeResolver;
import org.springframework.messaging.converter.JacksonJsonMessageConverter;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.util.ClassUtils;
import org.springframework.util.MimeType;

/**
 * The payload converter of the template and the listeners, one spring-messaging
 * {@link MessageConverter} for both directions: {@code String} (UTF-8 unless the content
 * type names another charset), {@code byte[]}, and, with Jackson 3 on the class path,
 * JSON for any other type (the application's {@code JsonMapper} when it has exactly one,
 * else one with the Jackson modules found on the class path). The MQTT 5 content type
 * does not select a converter: it is free text that publishers often leave out, so the
 * type alone decides.
 * <p>
 * The auto-configuration registers {@link #create(BeanFactory)} as the bean named
 * {@value #BEAN_NAME}. The {@link MqttTemplate} writes payload objects and reads typed
 * responses with it, the listeners read their payloads with it, and listener replies go
 * out through the template. A {@code MessageConverter} bean of that name defined by the
 * application replaces it in both directions.
 *
 * @author mqttboot
 */
public final class MqttMessageConverters {

	/**
	 * The name of the converter bean that the template and the listeners use.
	 */
	public static final String BEAN_NAME = "mqttMessageConverter";

	private static final String JSON_MAPPER_CLASS = "tools.jackson.databind.json.JsonMapper";

	static final boolean JACKSON_PRESENT = ClassUtils.isPresent(JSON_MAPPER_CLASS,
			MqttMessageConverters.class.getClassLoader());

	private MqttMessageConverters() {
	}

	/**
	 * Create the converter without an application context: JSON (with Jackson 3 on the
	 * class path) uses a {@code JsonMapper} with the Jackson modules found on the class
	 * path. This is the default of a {@link MqttTemplate} created by hand.
	 * @return the converter
	 */
	public static CompositeMessageConverter create() {
		return create(null);
	}

	/**
	 * Create the converter of an application: JSON (with Jackson 3 on the class loader
	 * of the bean factory) uses the {@code JsonMapper} bean when there is exactly one.
	 * @param beanFactory the bean factory to find a {@code JsonMapper} in, or
	 * {@code null}
	 * @return the converter
	 */
	public static CompositeMessageConverter create(@Nullable BeanFactory beanFactory) {
		List<MessageConverter> converters = new ArrayList<>();
		converters.add(lenient(new StringMessageConverter() {

			@Override
			protected boolean supportsMimeType(@Nullable MessageHeaders headers) {
				return true;
			}

		}));
		converters.add(lenient(new ByteArrayMessageConverter() {

			@Override
			protected boolean supportsMimeType(@Nullable MessageHeaders headers) {
				return true;
			}

		}));
		if (isJacksonPresent(beanFactory)) {
			converters.add(lenient(JsonSupport.converter(beanFactory)));
		}
		return new CompositeMessageConverter(converters);
	}

	private static boolean isJacksonPresent(@Nullable BeanFactory beanFactory) {
		ClassLoader classLoader = (beanFactory instanceof ConfigurableBeanFactory configurable)
				? configurable.getBeanClassLoader() : null;
		return (classLoader != null) ? ClassUtils.isPresent(JSON_MAPPER_CLASS, classLoader) : JACKSON_PRESENT;
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
			return (jsonMapper != null) ? new LenientJacksonJsonMessageConverter(jsonMapper)
					: new LenientJacksonJsonMessageConverter(JsonMapper.builder());
		}

	}

	/**
	 * JSON whatever the content type, and a write failure that names the payload type.
	 */
	private static final class LenientJacksonJsonMessageConverter extends JacksonJsonMessageConverter {

		LenientJacksonJsonMessageConverter(JsonMapper jsonMapper) {
			super(jsonMapper);
		}

		LenientJacksonJsonMessageConverter(JsonMapper.Builder builder) {
			super(builder);
		}

		@Override
		protected boolean supportsMimeType(@Nullable MessageHeaders headers) {
			return true;
		}

		@Override
		protected @Nullable Object convertToInternal(Object payload, @Nullable MessageHeaders headers,
				@Nullable Object conversionHint) {
			try {
				return super.convertToInternal(payload, headers, conversionHint);
			}
			catch (MessageConversionException ex) {
				Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
				throw new MessageConversionException("Cannot write the " + payload.getClass().getName()
						+ " payload as JSON: " + cause.getMessage(), cause);
			}
		}

	}

}
