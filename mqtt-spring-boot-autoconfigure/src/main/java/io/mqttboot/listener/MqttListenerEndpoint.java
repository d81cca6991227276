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

import java.lang.reflect.Method;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * One {@link MqttListener @MqttListener} with its attributes resolved and validated.
 *
 * @param id the listener id
 * @param bean the bean (a proxy, if the bean is proxied)
 * @param method the method to invoke on the bean
 * @param topics the topic filters
 * @param qos the QoS requested on the annotation
 * @param noLocal the MQTT 5 No Local option
 * @param retainAsPublished the MQTT 5 Retain As Published option
 * @param retainHandling the MQTT 5 Retain Handling option
 * @param autoStartup whether the listener starts with the application
 * @param errorHandlerBeanName the name of the error handler bean, or {@code null} for the
 * default one
 * @param sendTo the topic of {@code @SendTo}, or {@code null}
 * @param concurrency the most messages processed at once (on as many serial lanes)
 * @param connection the name of the connection the listener is on
 * @author mqttboot
 */
record MqttListenerEndpoint(String id, Object bean, Method method, List<TopicFilter> topics, int qos, boolean noLocal,
		boolean retainAsPublished, int retainHandling, boolean autoStartup, @Nullable String errorHandlerBeanName,
		@Nullable String sendTo, int concurrency, String connection) {

	MqttListenerEndpoint {
		topics = List.copyOf(topics);
	}

	/**
	 * Return whether the listener uses an MQTT 5-only subscription option.
	 * @return whether it needs MQTT 5
	 */
	boolean usesMqtt5Options() {
		return this.noLocal || this.retainAsPublished || this.retainHandling != 0;
	}

	/**
	 * Return the method for log and error messages.
	 * @return the qualified method name
	 */
	String describeMethod() {
		return ClassUtils.getQualifiedMethodName(this.method);
	}

}
