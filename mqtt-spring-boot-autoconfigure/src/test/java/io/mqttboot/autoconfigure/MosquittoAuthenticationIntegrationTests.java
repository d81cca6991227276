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
package io.mqttboot.autoconfigure;

import java.nio.file.Path;

import io.mqttboot.autoconfigure.health.MqttHealthContributorAutoConfiguration;
import io.mqttboot.test.EnabledIfMosquitto;
import io.mqttboot.test.MosquittoBroker;
import io.mqttboot.test.MqttTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static io.mqttboot.autoconfigure.ConnectionTestSupport.WAIT;
import static io.mqttboot.autoconfigure.ConnectionTestSupport.awaitDown;
import static io.mqttboot.autoconfigure.ConnectionTestSupport.awaitUp;
import static io.mqttboot.autoconfigure.ConnectionTestSupport.countLines;
import static io.mqttboot.autoconfigure.ConnectionTestSupport.reason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * End-to-end tests of username and password (R8) against Mosquitto with a
 * {@code password_file}, for MQTT 5 and 3.1.1: the right credentials connect, no
 * credentials or a wrong password are refused without failing startup (health DOWN, one
 * clear log line, the password never logged), and an open broker takes anonymous
 * clients.
 *
 * @author mqttboot
 */
@EnabledIfMosquitto
@ExtendWith(OutputCaptureExtension.class)
class MosquittoAuthenticationIntegrationTests {

	private static final String PASSWORD = "s3cret-Pa55word";

	private static final String WRONG_PASSWORD = "wr0ng-Pa55word";

	/** What Mosquitto logs for a refused login (without the client id). */
	private static final String REFUSED = "disconnected, not authorised.";

	private static final Path log = ConnectionTestSupport.newLogFile();

	private static MosquittoBroker broker;

	private static MosquittoBroker openBroker;

	@BeforeAll
	static void startBrokers() {
		broker = ConnectionTestSupport.mosquittoLoggingTo(log).user("alice", PASSWORD).start();
		openBroker = ConnectionTestSupport.mosquittoLoggingTo(log).start();
	}

	@AfterAll
	static void stopBrokers() {
		broker.close();
		openBroker.close();
	}

	@ParameterizedTest(name = "MQTT {0}")
	@ValueSource(strings = { "5", "3.1.1" })
	void usernameAndPasswordFromThePasswordFileConnect(String version) {
		String clientId = ConnectionTestSupport.clientId("it-alice");
		String topic = "it/auth/" + clientId;
		ConnectionTestSupport.contextRunner(version)
			.withPropertyValues("mqtt.url=" + broker.mqttUrl(), "mqtt.client-id=" + clientId, "mqtt.username=alice",
					"mqtt.password=" + PASSWORD)
			.run((context) -> {
				awaitUp(context);
				assertThat(ConnectionTestSupport.read(log)).contains("as " + clientId + " (")
					.containsPattern(clientId + " \\(p\\d, c1, k60, u'alice'\\)");
				try (MqttTestClient observer = MqttTestClient.connect(broker.tcpUrl(), "alice", PASSWORD)) {
					observer.subscribe(topic, 1);
					ConnectionTestSupport.publish(context, topic, "authenticated");
					assertThat(observer.awaitMessage(topic, WAIT).payloadAsString()).isEqualTo("authenticated");
				}
			});
	}

	@ParameterizedTest(name = "MQTT {0}")
	@ValueSource(strings = { "5", "3.1.1" })
	void anonymousClientIsRefusedByABrokerThatRequiresCredentials(String version) {
		ConnectionTestSupport.contextRunner(version).withPropertyValues("mqtt.url=" + broker.mqttUrl()).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(reason(ConnectionTestSupport.awaitFailedAttempt(context))).containsIgnoringCase("not authorized");
		});
	}

	@ParameterizedTest(name = "MQTT {0}")
	@ValueSource(strings = { "5", "3.1.1" })
	void anonymousClientConnectsToAnOpenBroker(String version) {
		String clientId = ConnectionTestSupport.clientId("it-anon");
		ConnectionTestSupport.contextRunner(version)
			.withPropertyValues("mqtt.url=" + openBroker.mqttUrl(), "mqtt.client-id=" + clientId)
			.run((context) -> {
				awaitUp(context);
				assertThat(ConnectionTestSupport.read(log)).containsPattern(clientId + " \\(p\\d, c1, k60\\)\\.");
			});
	}

	@ParameterizedTest(name = "MQTT {0}")
	@ValueSource(strings = { "5", "3.1.1" })
	void wrongPasswordDoesNotFailStartupShowsDownAndIsLoggedOnceWithoutThePassword(String version,
			CapturedOutput output) {
		String clientId = ConnectionTestSupport.clientId("it-wrong");
		long refusedBefore = countLines(log, REFUSED);
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(MqttApplication.class)
			.web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties("mqtt.url=" + broker.mqttUrl(), "mqtt.protocol-version=" + version,
					"mqtt.client-id=" + clientId, "mqtt.username=alice", "mqtt.password=" + WRONG_PASSWORD,
					"mqtt.reconnect.min-delay=100ms", "mqtt.reconnect.max-delay=300ms")
			.run()) {
			// the application started; several attempts reached the broker (after an
			// authentication failure the next attempt waits mqtt.reconnect.max-delay) ...
			await().atMost(WAIT).until(() -> countLines(log, REFUSED) >= refusedBefore + 3);
			Health health = awaitDown(context);
			assertThat(reason(health)).containsIgnoringCase("not authorized");
			assertThat(health.getDetails()).containsEntry("clientId", clientId);
		}
		// ... but the application logged the failure once, with a hint, and never the
		// password
		assertThat(output.getAll().lines().filter((line) -> line.contains(clientId) && line.contains("WARN")))
			.singleElement()
			.satisfies((line) -> assertThat(line).contains("failed").contains("check mqtt.username and mqtt.password"));
		assertThat(output.getAll()).doesNotContain(WRONG_PASSWORD);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ MqttAutoConfiguration.class, SslAutoConfiguration.class,
			MqttHealthContributorAutoConfiguration.class })
	static class MqttApplication {

	}

}
