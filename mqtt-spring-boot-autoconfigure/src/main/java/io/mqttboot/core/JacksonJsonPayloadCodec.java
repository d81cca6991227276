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

import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.Assert;

/**
 * {@link JsonPayloadCodec} backed by a Jackson 3 {@link JsonMapper}.
 *
 * @author mqttboot
 */
public final class JacksonJsonPayloadCodec implements JsonPayloadCodec {

	private final JsonMapper jsonMapper;

	/**
	 * Create a codec.
	 * @param jsonMapper the JSON mapper, typically the application's {@code JsonMapper}
	 * bean
	 */
	public JacksonJsonPayloadCodec(JsonMapper jsonMapper) {
		Assert.notNull(jsonMapper, "'jsonMapper' must not be null");
		this.jsonMapper = jsonMapper;
	}

	static JacksonJsonPayloadCodec shared() {
		return new JacksonJsonPayloadCodec(JsonMapper.shared());
	}

	@Override
	public byte[] write(Object value) {
		return this.jsonMapper.writeValueAsBytes(value);
	}

	@Override
	public <T> T read(byte[] json, Class<T> type) {
		return this.jsonMapper.readValue(json, type);
	}

}
