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

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Puts the default MQTT connection of a {@code @SpringBootTest} context on an embedded
 * broker (HiveMQ CE, in-process, on a free port of {@code 127.0.0.1}) and adds a
 * {@link MqttTestClient} bean on that broker.
 * <pre class="code">
 * &#064;SpringBootTest
 * &#064;EmbeddedMqttBroker
 * class TelemetryTests {
 *
 * 	&#064;Autowired
 * 	MqttTestClient mqtt;
 *
 * }
 * </pre>
 * The annotation sets {@code mqtt.embedded.enabled=true} and {@code mqtt.embedded.port=0}
 * above every other property source, so the broker's URL wins over {@code mqtt.url}
 * (the environment's {@code mqtt.url} and {@code local.mqtt.port} tell where it
 * listens). The context is handed to the tests only once the default connection is up
 * and every running {@code @MqttListener} is subscribed; if that does not happen within
 * {@link #readyTimeout()}, loading the context fails with what is missing.
 * <p>
 * Test classes with the same configuration share one context, and so one broker,
 * through Spring's test context cache; the broker stops when the context is closed.
 *
 * @author mqttboot
 * @see MqttTestClient
 * @see AutoConfigureMqttTestClient
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@AutoConfigureMqttTestClient
public @interface EmbeddedMqttBroker {

	/**
	 * How long, in seconds, the context may take from its start to a connected default
	 * connection with every running listener subscribed.
	 * @return the timeout in seconds
	 */
	int readyTimeout() default 30;

}
