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

/**
 * Writes the payload objects of the {@link MqttTemplate} as JSON and reads typed
 * responses from JSON. {@link JacksonJsonPayloadCodec} is the implementation with
 * Jackson 3; another JSON library can be plugged in with
 * {@link MqttTemplate#setJsonCodec(JsonPayloadCodec)}.
 *
 * @author mqttboot
 */
public interface JsonPayloadCodec {

	/**
	 * Write a value as JSON.
	 * @param value the value
	 * @return the UTF-8 JSON bytes
	 */
	byte[] write(Object value);

	/**
	 * Read a value from JSON.
	 * @param <T> the type
	 * @param json the UTF-8 JSON bytes
	 * @param type the type to read
	 * @return the value
	 */
	<T> T read(byte[] json, Class<T> type);

}
