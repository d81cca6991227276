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

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * Adds a {@link MqttTestClient} bean to a test context, connected to the broker of the
 * context's default connection: the URL, credentials and SSL bundle of its
 * {@code MqttConnectionDetails} (the {@code mqtt.*} properties, a Testcontainers or
 * Docker Compose service connection, the embedded broker), or {@code mqtt.url} when
 * there are none. For a broker started by
 * {@link EmbeddedMqttBroker @EmbeddedMqttBroker} this is implied.
 * <pre class="code">
 * &#064;Testcontainers
 * &#064;SpringBootTest
 * &#064;AutoConfigureMqttTestClient
 * class TelemetryContainerTests {
 *
 * 	&#064;Container
 * 	&#064;ServiceConnection
 * 	static GenericContainer&lt;?&gt; mosquitto = ...;
 *
 * 	&#064;Autowired
 * 	MqttTestClient mqtt;
 *
 * }
 * </pre>
 *
 * @author mqttboot
 * @see MqttTestClientAutoConfiguration
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
public @interface AutoConfigureMqttTestClient {

}
