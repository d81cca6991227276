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
package io.mqttboot.autoconfigure.actuate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.mqttboot.actuate.MqttEndpoint;
import io.mqttboot.actuate.MqttEndpoint.ConnectionDescriptor;
import io.mqttboot.actuate.MqttEndpoint.ListenerDescriptor;
import io.mqttboot.actuate.MqttEndpoint.MqttDescriptor;
import io.mqttboot.autoconfigure.MqttAutoConfiguration;
import io.mqttboot.listener.MqttListener;
import io.mqttboot.listener.MqttListenerEndpointRegistry;
import io.mqttboot.test.HiveMqBroker;
import io.mqttboot.test.MqttTestClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.Banner;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code mqtt} actuator endpoint of an application connected to the embedded HiveMQ
 * broker: absent unless exposed; over real HTTP, its connections, listeners with their
 * counts and templates, stopping and starting a listener by id, and no password in the
 * response.
 *
 * @author mqttboot
 */
class MqttEndpointIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final String SECRET = "s3cret-Pa55word";

	private static final HiveMqBroker broker = HiveMqBroker.shared();

	private final String prefix = "it/endpoint/" + UUID.randomUUID().toString().substring(0, 8);

	private final String clientId = "endpoint-" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

	private final HttpClient http = HttpClient.newHttpClient();

	private final JsonMapper json = JsonMapper.builder().build();

	private ApplicationContextRunner contextRunner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(MqttAutoConfiguration.class, MqttEndpointAutoConfiguration.class))
			.withUserConfiguration(CountingListener.class)
			.withPropertyValues("mqtt.url=" + broker.tcpUrl(), "mqtt.client-id=" + this.clientId,
					"test.prefix=" + this.prefix);
	}

	@Test
	void noEndpointUnlessExposed() {
		contextRunner().run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(MqttEndpoint.class);
		});
	}

	@Test
	void noEndpointWithoutActuator() {
		contextRunner().withPropertyValues("management.endpoints.web.exposure.include=mqtt")
			.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(MqttEndpoint.class);
			});
	}

	@Test
	void endpointListsTheConnectionAndTheListenersWithTheirCounts() {
		contextRunner().withPropertyValues("management.endpoints.web.exposure.include=mqtt").run((context) -> {
			MqttEndpoint endpoint = context.getBean(MqttEndpoint.class);
			MqttListenerEndpointRegistry registry = context.getBean(MqttListenerEndpointRegistry.class);
			await("subscribed").atMost(WAIT).until(() -> registry.isSubscribed("counting"));
			try (MqttTestClient client = MqttTestClient.connect(broker.tcpUrl())) {
				client.publish(this.prefix + "/counting", "ok", 1, false);
				client.publish(this.prefix + "/counting", "fail", 1, false);
			}
			await("two handled").atMost(WAIT).until(() -> listener(endpoint.mqtt(), "counting").handled() == 2);
			MqttDescriptor descriptor = endpoint.mqtt();
			ConnectionDescriptor connection = descriptor.connections().get(0);
			assertThat(connection.name()).isEqualTo("default");
			assertThat(connection.server()).isEqualTo(broker.mqttUrl());
			assertThat(connection.clientId()).isEqualTo(this.clientId);
			assertThat(connection.protocolVersion()).isEqualTo("5");
			assertThat(connection.connected()).isTrue();
			assertThat(connection.since()).isNotNull();
			assertThat(connection.sessionPresent()).isFalse();
			assertThat(connection.broker()).containsEntry("maximumQos", 2).containsKey("receiveMaximum");
			ListenerDescriptor listener = listener(descriptor, "counting");
			assertThat(listener.connection()).isEqualTo("default");
			assertThat(listener.topicFilters()).containsExactly(this.prefix + "/counting");
			assertThat(listener.qos()).isEqualTo(1);
			assertThat(listener.group()).isNull();
			assertThat(listener.running()).isTrue();
			assertThat(listener.failed()).isEqualTo(1);
			assertThat(listener.queued()).isZero();
			assertThat(listener(descriptor, "shared").topicFilters())
				.containsExactly("$share/workers/" + this.prefix + "/jobs/+");
			assertThat(listener(descriptor, "shared").group()).isEqualTo("workers");
			assertThat(descriptor.templates()).singleElement().satisfies((template) -> {
				assertThat(template.bean()).isEqualTo("mqttTemplate");
				assertThat(template.connection()).isEqualTo("default");
				assertThat(template.inflight()).isZero();
				assertThat(template.buffered()).isZero();
			});
			// Stop and start by id
			assertThat(endpoint.listener("counting", false).running()).isFalse();
			assertThat(registry.isRunning("counting")).isFalse();
			assertThat(endpoint.listener("counting", true).running()).isTrue();
			await("subscribed again").atMost(WAIT).until(() -> registry.isSubscribed("counting"));
		});
	}

	@Test
	void endpointOverHttpStopsAndStartsAListenerAndNeverShowsThePassword() throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(WebApplication.class)
			.web(WebApplicationType.SERVLET)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties("server.port=0", "management.endpoints.web.exposure.include=health,mqtt",
					"spring.docker.compose.enabled=false", "mqtt.url=" + broker.tcpUrl(),
					"mqtt.client-id=" + this.clientId, "mqtt.username=alice", "mqtt.password=" + SECRET,
					"test.prefix=" + this.prefix)
			.run()) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			String base = "http://127.0.0.1:" + port + "/actuator/mqtt";
			MqttListenerEndpointRegistry registry = context.getBean(MqttListenerEndpointRegistry.class);
			await("subscribed").atMost(WAIT).until(() -> registry.isSubscribed("counting"));
			try (MqttTestClient client = MqttTestClient.connect(broker.tcpUrl())) {
				client.publish(this.prefix + "/counting", "fail", 1, false);
			}
			await("one failed").atMost(WAIT)
				.until(() -> registry.getStatistics("counting").getFailed() == 1
						&& registry.getStatistics("counting").getQueued() == 0);
			HttpResponse<String> response = get(base);
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).doesNotContain(SECRET).doesNotContain("fail\"");
			JsonNode body = this.json.readTree(response.body());
			JsonNode connection = body.get("connections").get(0);
			assertThat(connection.get("name").asString()).isEqualTo("default");
			assertThat(connection.get("clientId").asString()).isEqualTo(this.clientId);
			assertThat(connection.get("connected").asBoolean()).isTrue();
			assertThat(connection.get("since").asString()).matches("\\d{4}-\\d{2}-\\d{2}T.*Z");
			assertThat(connection.get("broker").isObject()).isTrue();
			JsonNode counting = find(body.get("listeners"), "counting");
			assertThat(counting.get("handled").asLong()).isEqualTo(1);
			assertThat(counting.get("failed").asLong()).isEqualTo(1);
			assertThat(counting.get("running").asBoolean()).isTrue();
			assertThat(body.get("templates").get(0).get("inflight").asInt()).isZero();
			// Stop, then start again
			HttpResponse<String> stopped = post(base + "/counting", "{\"running\": false}");
			assertThat(stopped.statusCode()).isEqualTo(200);
			assertThat(this.json.readTree(stopped.body()).get("running").asBoolean()).isFalse();
			assertThat(registry.isRunning("counting")).isFalse();
			assertThat(find(this.json.readTree(get(base).body()).get("listeners"), "counting").get("running")
				.asBoolean()).isFalse();
			HttpResponse<String> started = post(base + "/counting", "{\"running\": true}");
			assertThat(started.statusCode()).isEqualTo(200);
			assertThat(registry.isRunning("counting")).isTrue();
			await("subscribed again").atMost(WAIT).until(() -> registry.isSubscribed("counting"));
			// An unknown id is a bad request
			assertThat(post(base + "/nope", "{\"running\": false}").statusCode()).isEqualTo(400);
		}
	}

	private HttpResponse<String> get(String uri) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(uri)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String uri, String body) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(uri))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static JsonNode find(JsonNode listeners, String id) {
		for (JsonNode listener : listeners) {
			if (listener.get("id").asString().equals(id)) {
				return listener;
			}
		}
		throw new AssertionError("No listener '" + id + "' in " + listeners);
	}

	private static ListenerDescriptor listener(MqttDescriptor descriptor, String id) {
		List<ListenerDescriptor> listeners = descriptor.listeners();
		return listeners.stream()
			.filter((listener) -> listener.id().equals(id))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No listener '" + id + "' in " + listeners));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(CountingListener.class)
	static class WebApplication {

	}

	static class CountingListener {

		@MqttListener(id = "counting", topics = "${test.prefix}/counting")
		void on(String payload) {
			if (payload.equals("fail")) {
				throw new IllegalStateException("failing as asked");
			}
		}

		@MqttListener(id = "shared", topics = "${test.prefix}/jobs/{job}", group = "workers", qos = 0)
		void onJob(String payload) {
		}

	}

}
