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

import org.springframework.util.ClassUtils;

/**
 * Whether Jackson 3 is on the class path: the one check that the template, the listeners
 * and the auto-configuration share before they touch a Jackson type.
 * <p>
 * Internal to the starter, public only because those live in other packages: not meant
 * for application code.
 *
 * @author mqttboot
 */
public final class JacksonSupport {

	private static final boolean PRESENT = ClassUtils.isPresent("tools.jackson.databind.json.JsonMapper",
			JacksonSupport.class.getClassLoader());

	private JacksonSupport() {
	}

	/**
	 * Return whether Jackson 3 ({@code tools.jackson.databind.json.JsonMapper}) is on the
	 * class path.
	 * @return whether Jackson 3 is present
	 */
	public static boolean isPresent() {
		return PRESENT;
	}

}
