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

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a method parameter of an {@link MqttListener @MqttListener} to a
 * {@code {name}} level of its topic filter: with
 * {@code topics = "sensors/{device}/temperature"}, a message on
 * {@code sensors/kitchen/temperature} binds {@code @TopicVariable("device")} to
 * {@code kitchen}. The value is converted to the parameter type (a {@code String}, a
 * number, ...). Every filter of the listener must declare the variable.
 *
 * @author mqttboot
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface TopicVariable {

	/**
	 * The name of the variable, as written between braces in the topic filter.
	 * @return the variable name
	 */
	String value();

}
