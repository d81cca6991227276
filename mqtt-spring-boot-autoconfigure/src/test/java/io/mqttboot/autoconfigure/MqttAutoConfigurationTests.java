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

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import io.mqttboot.connection.MqttConnection;
import io.mqttboot.connection.ReconnectingMqttv3ClientManager;
import io.mqttboot.connection.ReconnectingMqttv5ClientManager;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.mqtt.core.ClientManager;
import org.springframework.integration.mqtt.core.Mqttv5ClientManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MqttAutoConfiguration}: beans, conditions and back-off, and the mapping
 * of properties to Paho options. Bad values are covered by
 * {@link MqttAutoConfigurationFailureTests}.
 *
 * @author mqttboot
 */
@ExtendWith(OutputCaptureExtension.class)
class MqttAutoConfigurationTests {

	static final String UNREACHABLE_URL = "mqtt://127.0.0.1:" + freePort();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MqttAutoConfiguration.class, SslAutoConfiguration.class))
		.withPropertyValues("mqtt.url=" + UNREACHABLE_URL);

	@Test
	void mqtt5IsTheDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(ReconnectingMqttv5ClientManager.class)
				.hasSingleBean(org.eclipse.paho.mqttv5.client.IMqttAsyncClient.class)
				.hasSingleBean(MqttConnectionOptionsConfigurer.class)
				.hasSingleBean(PropertiesMqttConnectionDetails.class)
				.doesNotHaveBean(MqttConnectOptionsConfigurer.class);
			assertThat(context.getBean("mqttClient"))
				.isSameAs(context.getBean(ReconnectingMqttv5ClientManager.class).getClient());
		});
	}

	@Test
	void mqtt311UsesTheV3ClientManager() {
		this.contextRunner.withPropertyValues("mqtt.protocol-version=3.1.1").run((context) -> {
			assertThat(context).hasSingleBean(ReconnectingMqttv3ClientManager.class)
				.hasSingleBean(org.eclipse.paho.client.mqttv3.IMqttAsyncClient.class)
				.doesNotHaveBean(Mqttv5ClientManager.class);
			assertThat(context.getBean(ReconnectingMqttv3ClientManager.class).getConnectionInfo().getMqttVersion())
				.isEqualTo(MqttConnectOptions.MQTT_VERSION_3_1_1);
		});
	}

	@Test
	void mqtt31UsesTheV3ClientManagerWithProtocolLevel3() {
		this.contextRunner.withPropertyValues("mqtt.protocol-version=3.1").run((context) -> {
			ReconnectingMqttv3ClientManager manager = context.getBean(ReconnectingMqttv3ClientManager.class);
			assertThat(manager.getConnectionInfo().getMqttVersion()).isEqualTo(MqttConnectOptions.MQTT_VERSION_3_1);
			assertThat(manager.getProtocolVersion().value()).isEqualTo("3.1");
		});
	}

	@Test
	void disabledBacksOffEntirely() {
		this.contextRunner.withPropertyValues("mqtt.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ClientManager.class)
				.doesNotHaveBean(MqttConnectionDetails.class));
	}

	@Test
	void userClientManagerBacksOff(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(UserClientManagerConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(ClientManager.class);
			assertThat(context.getBean(ClientManager.class)).isNotInstanceOf(ReconnectingMqttv5ClientManager.class);
			MqttConnection connection = context.getBean(MqttConnection.class);
			assertThat(connection.getClientManager()).isSameAs(context.getBean("userClientManager"));
			assertThat(connection.getName()).isEqualTo(MqttConnection.DEFAULT_NAME);
			assertThat(connection.isManagedByStarter()).isFalse();
		});
		assertThat(output).containsOnlyOnce("The MQTT connection uses the application's ClientManager bean "
				+ "userClientManager (org.springframework.integration.mqtt.core.Mqttv5ClientManager): mqtt.url and "
				+ "the other mqtt.* connection properties are not used");
	}

	@Test
	void bareNumberDurationsAreSeconds() {
		this.contextRunner
			.withPropertyValues("mqtt.reconnect.min-delay=5", "mqtt.reconnect.max-delay=90", "mqtt.connect-timeout=7",
					"mqtt.keep-alive=20", "mqtt.connections.cloud.url=" + UNREACHABLE_URL,
					"mqtt.connections.cloud.reconnect.min-delay=3")
			.run((context) -> {
				MqttProperties properties = context.getBean(MqttProperties.class);
				assertThat(properties.getReconnect().getMinDelay()).isEqualTo(Duration.ofSeconds(5));
				assertThat(properties.getReconnect().getMaxDelay()).isEqualTo(Duration.ofSeconds(90));
				assertThat(properties.getConnectTimeout()).isEqualTo(Duration.ofSeconds(7));
				assertThat(properties.getKeepAlive()).isEqualTo(Duration.ofSeconds(20));
				assertThat(NamedMqttConnectionsRegistrar.bind(context.getEnvironment())
					.get("cloud")
					.getReconnect()
					.getMinDelay()).isEqualTo(Duration.ofSeconds(3));
			});
	}

	@Test
	void defaultConnectionOnTheStarterClientManager(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			MqttConnection connection = context.getBean(MqttConnection.class);
			assertThat(connection.getClientManager()).isSameAs(context.getBean("mqttClientManager"));
			assertThat(connection.getName()).isEqualTo("default");
			assertThat(connection.isManagedByStarter()).isTrue();
			assertThat(connection.getServerUri()).isEqualTo(UNREACHABLE_URL);
		});
		assertThat(output).doesNotContain("The MQTT connection uses the application's ClientManager");
	}

	@Test
	void eachContextHasItsOwnConnectionObject() {
		this.contextRunner.run((first) -> this.contextRunner.run((second) -> assertThat(first.getBean(
				MqttConnection.class))
			.isNotSameAs(second.getBean(MqttConnection.class))));
	}

	@Test
	void userConnectionDetailsReplaceProperties() {
		this.contextRunner.withUserConfiguration(UserConnectionDetailsConfiguration.class).run((context) -> {
			assertThat(context).doesNotHaveBean(PropertiesMqttConnectionDetails.class);
			MqttConnectionOptions options = v5Options(context.getBean(ReconnectingMqttv5ClientManager.class));
			assertThat(options.getServerURIs()).containsExactly("tcp://details.example:1999");
			assertThat(options.getUserName()).isEqualTo("details-user");
		});
	}

	@Test
	void customizersRunAfterProperties() {
		this.contextRunner.withUserConfiguration(CustomizerConfiguration.class)
			.withPropertyValues("mqtt.keep-alive=10s")
			.run((context) -> assertThat(v5Options(context.getBean(ReconnectingMqttv5ClientManager.class))
				.getKeepAliveInterval()).isEqualTo(42));
	}

	@Test
	void v5OptionsFromProperties() {
		this.contextRunner
			.withPropertyValues("mqtt.url=mqtt://a.example," + "ws://b.example", "mqtt.username=user",
					"mqtt.password=secret", "mqtt.connect-timeout=5s", "mqtt.keep-alive=15s", "mqtt.clean-start=false",
					"mqtt.session-expiry=1h", "mqtt.will.topic=devices/x/status", "mqtt.will.payload=offline",
					"mqtt.will.qos=1", "mqtt.will.retain=true", "mqtt.will.delay-interval=5s",
					"mqtt.will.message-expiry=1m", "mqtt.will.content-type=text/plain",
					"mqtt.will.user-properties.reason=crash", "mqtt.connect-properties.receive-maximum=50",
					"mqtt.connect-properties.maximum-packet-size=65536",
					"mqtt.connect-properties.topic-alias-maximum=5",
					"mqtt.connect-properties.request-response-information=true",
					"mqtt.connect-properties.request-problem-information=false",
					"mqtt.connect-properties.user-properties.region=eu")
			.run((context) -> {
				MqttConnectionOptions options = v5Options(context.getBean(ReconnectingMqttv5ClientManager.class));
				assertThat(options.getServerURIs()).containsExactly("tcp://a.example:1883",
						"ws://b.example:8083/mqtt");
				assertThat(options.getUserName()).isEqualTo("user");
				assertThat(new String(options.getPassword(), StandardCharsets.UTF_8)).isEqualTo("secret");
				assertThat(options.getConnectionTimeout()).isEqualTo(5);
				assertThat(options.getKeepAliveInterval()).isEqualTo(15);
				assertThat(options.isCleanStart()).isFalse();
				assertThat(options.getSessionExpiryInterval()).isEqualTo(3600L);
				assertThat(options.isAutomaticReconnect()).isFalse();
				assertThat(options.getWillDestination()).isEqualTo("devices/x/status");
				assertThat(options.getWillMessage().getPayload()).isEqualTo("offline".getBytes(StandardCharsets.UTF_8));
				assertThat(options.getWillMessage().getQos()).isEqualTo(1);
				assertThat(options.getWillMessage().isRetained()).isTrue();
				assertThat(options.getWillMessageProperties().getWillDelayInterval()).isEqualTo(5L);
				assertThat(options.getWillMessageProperties().getMessageExpiryInterval()).isEqualTo(60L);
				assertThat(options.getWillMessageProperties().getContentType()).isEqualTo("text/plain");
				assertThat(options.getWillMessageProperties().getUserProperties())
					.containsExactly(new UserProperty("reason", "crash"));
				assertThat(options.getReceiveMaximum()).isEqualTo(50);
				assertThat(options.getMaximumPacketSize()).isEqualTo(65536L);
				assertThat(options.getTopicAliasMaximum()).isEqualTo(5);
				assertThat(options.getRequestResponseInfo()).isTrue();
				assertThat(options.getRequestProblemInfo()).isFalse();
				assertThat(options.getUserProperties()).containsExactly(new UserProperty("region", "eu"));
				assertThat(options.isHttpsHostnameVerificationEnabled()).isTrue();
			});
	}

	@Test
	void sessionExpiryNeverIsTheMaximum() {
		this.contextRunner.withPropertyValues("mqtt.session-expiry=never")
			.run((context) -> assertThat(
					v5Options(context.getBean(ReconnectingMqttv5ClientManager.class)).getSessionExpiryInterval())
				.isEqualTo(0xFFFFFFFFL));
	}

	@Test
	void sessionExpiryUnsetIsNotSent() {
		this.contextRunner.run((context) -> assertThat(
				v5Options(context.getBean(ReconnectingMqttv5ClientManager.class)).getSessionExpiryInterval())
			.isNull());
	}

	@Test
	void v3OptionsFromProperties() {
		this.contextRunner
			.withPropertyValues("mqtt.protocol-version=3.1.1", "mqtt.username=user", "mqtt.password=secret",
					"mqtt.keep-alive=20", "mqtt.clean-start=false", "mqtt.will.topic=devices/x/status",
					"mqtt.will.payload=offline", "mqtt.will.qos=2", "mqtt.max-inflight=500",
					"mqtt.ssl.verify-hostname=false")
			.run((context) -> {
				MqttConnectOptions options = context.getBean(ReconnectingMqttv3ClientManager.class).getConnectionInfo();
				assertThat(options.getUserName()).isEqualTo("user");
				assertThat(new String(options.getPassword())).isEqualTo("secret");
				assertThat(options.getKeepAliveInterval()).isEqualTo(20);
				assertThat(options.isCleanSession()).isFalse();
				assertThat(options.getWillDestination()).isEqualTo("devices/x/status");
				assertThat(options.getWillMessage().getQos()).isEqualTo(2);
				assertThat(options.getMaxInflight()).isEqualTo(500);
				assertThat(options.isHttpsHostnameVerificationEnabled()).isFalse();
				assertThat(options.isAutomaticReconnect()).isFalse();
			});
	}

	@Test
	void plainSocketsOfBothProtocolVersionsReadThroughABufferWithoutNagle() {
		this.contextRunner.run((context) -> assertBufferedNoDelay(
				v5Options(context.getBean(ReconnectingMqttv5ClientManager.class)).getSocketFactory()));
		this.contextRunner.withPropertyValues("mqtt.protocol-version=3.1.1")
			.run((context) -> assertBufferedNoDelay(
					context.getBean(ReconnectingMqttv3ClientManager.class).getConnectionInfo().getSocketFactory()));
	}

	@Test
	void tlsSocketsHaveNoNagle() {
		this.contextRunner.withPropertyValues("mqtt.url=mqtts://broker.example").run((context) -> {
			SocketFactory factory = v5Options(context.getBean(ReconnectingMqttv5ClientManager.class))
				.getSocketFactory();
			assertThat(factory).isInstanceOf(SSLSocketFactory.class);
			try (Socket socket = factory.createSocket()) {
				assertThat(socket).isInstanceOf(SSLSocket.class);
				assertThat(socket.getTcpNoDelay()).isTrue();
			}
		});
	}

	private static void assertBufferedNoDelay(SocketFactory factory) throws IOException {
		try (Socket socket = factory.createSocket()) {
			assertThat(socket).isInstanceOf(ClientSocketFactories.BufferedReadSocket.class);
			assertThat(socket.getTcpNoDelay()).isTrue();
		}
	}

	@Test
	void generatedClientIdStartsWithApplicationNameAndFits23Bytes() {
		this.contextRunner.withPropertyValues("spring.application.name=temperature-gateway-service")
			.run((context) -> {
				String clientId = context.getBean(ClientManager.class).getClientId();
				assertThat(clientId).startsWith("temperature-ga-").matches(".*-[0-9a-f]{8}");
				assertThat(clientId.getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(23);
			});
	}

	@Test
	void generatedClientIdDefaultsToMqttPrefixAndIsUniquePerApplication() {
		this.contextRunner.run((first) -> this.contextRunner.run((second) -> {
			String one = first.getBean(ClientManager.class).getClientId();
			assertThat(one).startsWith("mqtt-").hasSize(13);
			assertThat(one).isNotEqualTo(second.getBean(ClientManager.class).getClientId());
		}));
	}

	@Test
	void configuredClientIdIsUsedVerbatim() {
		String clientId = "a-very-long-client-id-used-as-it-is-written-0123456789";
		this.contextRunner.withPropertyValues("mqtt.client-id=" + clientId)
			.run((context) -> assertThat(context.getBean(ClientManager.class).getClientId()).isEqualTo(clientId));
	}

	@Test
	void unreachableBrokerDoesNotFailStartup() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(ClientManager.class).isConnected()).isFalse();
		});
	}

	private static MqttConnectionOptions v5Options(ReconnectingMqttv5ClientManager manager) {
		return manager.getConnectionInfo();
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class UserClientManagerConfiguration {

		@Bean
		Mqttv5ClientManager userClientManager() {
			Mqttv5ClientManager manager = new Mqttv5ClientManager(UNREACHABLE_URL.replace("mqtt:", "tcp:"), "user");
			manager.setQuiescentTimeout(0);
			manager.setDisconnectCompletionTimeout(100);
			return manager;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserConnectionDetailsConfiguration {

		@Bean
		MqttConnectionDetails userConnectionDetails() {
			return new MqttConnectionDetails() {

				@Override
				public List<String> getUrls() {
					return List.of("mqtt://details.example:1999");
				}

				@Override
				public String getUsername() {
					return "details-user";
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomizerConfiguration {

		@Bean
		MqttConnectionOptionsCustomizer keepAliveCustomizer() {
			return (options) -> options.setKeepAliveInterval(42);
		}

	}

}
