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
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of a Spring bean as the listener of one or more MQTT topic filters,
 * subscribed on the application's one MQTT connection.
 * <pre class="code">
 * &#64;MqttListener(topics = "sensors/{device}/temperature", qos = 1)
 * void onReading(Reading reading, &#64;TopicVariable("device") String device,
 *         &#64;Header(MqttHeaders.RECEIVED_TOPIC) String topic) { ... }
 * </pre>
 * <p>
 * Parameters are resolved by spring-messaging: the payload as {@code byte[]},
 * {@code String} (UTF-8) or any type read from JSON (with the application's Jackson
 * {@code JsonMapper} when there is one), all by the {@code mqttMessageConverter} bean
 * (see {@link io.mqttboot.core.MqttMessageConverters}); {@code Message<T>};
 * {@code @Header} with Spring Integration's {@code MqttHeaders} names
 * ({@code mqtt_receivedTopic}, {@code mqtt_receivedQos}, {@code mqtt_receivedRetained},
 * {@code mqtt_duplicate}, {@code mqtt_responseTopic}, {@code mqtt_correlationData}, and
 * MQTT 5 user properties by their names); {@code @Headers Map};
 * {@link TopicVariable @TopicVariable}.
 * <p>
 * Each listener gets the messages of its filters once each, in the order the broker sent
 * them, on a thread of its own (never Paho's); with a {@link #concurrency()} above 1, on
 * as many threads, messages of one topic still in order. A QoS 1 message is acknowledged to the
 * broker only after the method returned, or after the error handler ran when it threw.
 * A non-void return value is published to the MQTT 5 response topic of the request (with
 * its correlation data) or else to the topic of a
 * {@link org.springframework.messaging.handler.annotation.SendTo @SendTo} annotation on
 * the method. Subscriptions are restored after every reconnect.
 *
 * @author mqttboot
 * @see MqttListenerEndpointRegistry
 * @see MqttListenerErrorHandler
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Repeatable(MqttListeners.class)
public @interface MqttListener {

	/**
	 * The topic filters: {@code +} and {@code #} wildcards, {@code ${...}} placeholders,
	 * {@code {name}} levels (subscribed as {@code +} and bound to
	 * {@link TopicVariable @TopicVariable("name")} parameters) and literal
	 * {@code $share/<group>/<filter>} shared subscriptions. An invalid filter fails
	 * startup.
	 * @return the topic filters
	 */
	String[] topics();

	/**
	 * The maximum QoS to subscribe with: 0, 1 (the default) or 2. On MQTT 3.1.1 a QoS 2
	 * listener receives each message once, also across reconnects of a persistent
	 * session: PUBREC when the message arrives, the method called at PUBREL, PUBCOMP
	 * after it returned. On MQTT 5 it is subscribed with QoS 1: Paho 1.2.5's MQTT 5 client
	 * sends PUBREC and PUBCOMP by itself before the method returned, so QoS 1 is the
	 * highest level at which a message is acknowledged only after the listener returned
	 * (at least once, possibly duplicated: see the {@code mqtt_duplicate} header). See
	 * {@code docs/listeners.md} for what a crash in the method means at each QoS.
	 * @return the QoS
	 */
	int qos() default 1;

	/**
	 * The id of the listener in the {@link MqttListenerEndpointRegistry}; defaults to
	 * {@code <beanName>.<methodName>}. {@code ${...}} placeholders are resolved.
	 * @return the listener id
	 */
	String id() default "";

	/**
	 * Whether the listener starts with the application: {@code true} (the default) or
	 * {@code false}; {@code ${...}} placeholders are resolved. A listener that does not
	 * start can be started later with {@link MqttListenerEndpointRegistry#start(String)}.
	 * @return whether the listener starts automatically
	 */
	String autoStartup() default "";

	/**
	 * A share group: every filter is subscribed as {@code $share/<group>/<filter>}, so
	 * that the broker delivers each message to one member of the group.
	 * {@code ${...}} placeholders are resolved.
	 * @return the share group, or an empty string
	 */
	String group() default "";

	/**
	 * MQTT 5 No Local option: do not receive messages published by this connection. Not
	 * allowed on shared subscriptions.
	 * @return whether to set No Local
	 */
	boolean noLocal() default false;

	/**
	 * MQTT 5 Retain As Published option: keep the retain flag of forwarded messages as
	 * the publisher set it.
	 * @return whether to set Retain As Published
	 */
	boolean retainAsPublished() default false;

	/**
	 * MQTT 5 Retain Handling option: {@code 0} (the default) sends retained messages on
	 * every subscribe, {@code 1} only when the subscription is new, {@code 2} never.
	 * @return the Retain Handling option
	 */
	int retainHandling() default 0;

	/**
	 * The name of a {@link MqttListenerErrorHandler} bean for this listener; by default
	 * the application's error handler: the only such bean, or of several the one named
	 * {@code mqttListenerErrorHandler} or the primary one, or else one that logs one
	 * line.
	 * @return the error handler bean name, or an empty string
	 */
	String errorHandler() default "";

	/**
	 * The most messages of this listener processed at once: a positive integer,
	 * {@code 1} by default; {@code ${...}} placeholders are resolved. The listener gets
	 * that many serial lanes, each on a thread of its own, and the messages of one topic
	 * always go to the same lane: they are processed one after the other, in the order
	 * the broker sent them, while messages of other topics may be processed beside them
	 * (topics are spread over the lanes by their hash, so a listener of a single topic
	 * gains nothing). Each message is still acknowledged only after the method returned.
	 * The threads are virtual threads when {@code spring.threads.virtual.enabled} is
	 * {@code true} (Java 21+).
	 * @return the concurrency, or an empty string for {@code 1}
	 */
	String concurrency() default "";

	/**
	 * The connection the listener subscribes on: the name of a named connection
	 * ({@code mqtt.connections.<name>.*}), or the default connection when empty (the
	 * default). {@code ${...}} placeholders are resolved. A name that no connection has
	 * fails startup. A return value is published on the same connection.
	 * @return the connection name, or an empty string for the default connection
	 */
	String connection() default "";

}
