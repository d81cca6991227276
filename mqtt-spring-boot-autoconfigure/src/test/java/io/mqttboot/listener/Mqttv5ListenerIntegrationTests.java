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

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.mqttboot.core.MqttTemplate;
import io.mqttboot.listener.ListenerTestSupport.Recorder;
import io.mqttboot.test.MqttTestClient;
import org.eclipse.paho.mqttv5.client.IMqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.Test;

import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.integration.config.EnableIntegration;
import org.springframework.integration.mqtt.core.ClientManager;
import org.springframework.integration.mqtt.inbound.Mqttv5PahoMessageDrivenChannelAdapter;
import org.springframework.integration.mqtt.outbound.Mqttv5PahoMessageHandler;
import org.springframework.integration.mqtt.support.MqttHeaders;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.SendTo;
import org.springframework.messaging.support.MessageBuilder;

import static io.mqttboot.listener.ListenerTestSupport.QUIET;
import static io.mqttboot.listener.ListenerTestSupport.WAIT;
import static io.mqttboot.listener.ListenerTestSupport.awaitSubscribed;
import static io.mqttboot.listener.ListenerTestSupport.publish;
import static io.mqttboot.listener.ListenerTestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link AbstractMqttListenerIntegrationTests} for MQTT 5, plus the MQTT 5-only features.
 *
 * @author mqttboot
 */
class Mqttv5ListenerIntegrationTests extends AbstractMqttListenerIntegrationTests {

	@Override
	String protocolVersion() {
		return "5";
	}

	@Override
	String[] persistentSessionProperties() {
		return new String[] { "mqtt.clean-start=false", "mqtt.session-expiry=1h" };
	}

	@Override
	void killConnection(ApplicationContext context) throws Exception {
		context.getBean(IMqttAsyncClient.class).disconnectForcibly(0, 0, false);
	}

	@Override
	Class<?> integrationConfiguration() {
		return IntegrationConfiguration.class;
	}

	@Override
	String refusedSubscriptionReason() {
		return "0x87 (Not authorized)";
	}

	@Test
	void returnValueGoesToTheResponseTopicWithCorrelationData() {
		contextRunner().withUserConfiguration(RequestResponseListeners.class).run((context) -> {
			awaitSubscribed(context);
			try (MqttTestClient requester = MqttTestClient.connect(broker.tcpUrl())) {
				requester.subscribe(topic("replies/+"), 1);
				MqttProperties properties = new MqttProperties();
				properties.setResponseTopic(topic("replies/1"));
				properties.setCorrelationData(utf8("corr-1"));
				requester.publish(topic("rr/ping"), utf8("hello"), 1, false, properties);
				MqttTestClient.Received reply = requester.awaitMessage(topic("replies/1"), WAIT);
				assertThat(reply.payloadAsString()).isEqualTo("pong:hello");
				assertThat(reply.properties().getCorrelationData()).isEqualTo(utf8("corr-1"));
				MqttProperties overriding = new MqttProperties();
				overriding.setResponseTopic(topic("replies/2"));
				overriding.setCorrelationData(utf8("corr-2"));
				requester.publish(topic("rr/sendto"), utf8("x"), 1, false, overriding);
				MqttTestClient.Received second = requester.awaitMessage(topic("replies/2"), WAIT);
				assertThat(second.payloadAsString()).isEqualTo("done:x");
				assertThat(second.properties().getCorrelationData()).isEqualTo(utf8("corr-2"));
				requester.publish(topic("rr/sendto"), utf8("y"), 1, false, null);
				assertThat(requester.awaitMessage(topic("replies/default"), WAIT).payloadAsString())
					.isEqualTo("done:y");
			}
		});
	}

	@Test
	void userPropertiesAndContentTypeAreHeaders() {
		contextRunner().withUserConfiguration(UserPropertyListeners.class).run((context) -> {
			awaitSubscribed(context);
			MqttProperties properties = new MqttProperties();
			properties.setUserProperties(List.of(new UserProperty("tenant", "acme")));
			properties.setContentType("text/plain; charset=ISO-8859-1");
			publisher.publish(topic("props"), "café".getBytes(StandardCharsets.ISO_8859_1), 1, false, properties);
			assertThat(context.getBean(Recorder.class).next("props"))
				.isEqualTo("acme|text/plain; charset=ISO-8859-1|café");
		});
	}

	@Test
	void noLocalSkipsTheApplicationsOwnMessages() {
		contextRunner().withUserConfiguration(NoLocalListeners.class).run((context) -> {
			awaitSubscribed(context);
			Recorder recorder = context.getBean(Recorder.class);
			try (MqttTestClient observer = MqttTestClient.connect(broker.tcpUrl())) {
				observer.subscribe(topic("nl"), 1);
				context.getBean(MqttTemplate.class).send(topic("nl"), "own").get();
				assertThat(observer.awaitMessage(topic("nl"), WAIT).payloadAsString()).isEqualTo("own");
				publish(publisher, topic("nl"), "external");
				assertThat(recorder.next("noLocal")).isEqualTo("external");
				await().during(QUIET).atMost(WAIT).until(() -> recorder.count("noLocal") == 1);
			}
		});
	}

	@Test
	void retainHandlingNeverSkipsRetainedMessages() {
		String topic = topic("rh/state");
		publisher.publish(topic, "retained", 1, true);
		try {
			contextRunner().withUserConfiguration(RetainHandlingListeners.class).run((context) -> {
				Recorder recorder = context.getBean(Recorder.class);
				assertThat(recorder.next("sendRetained")).isEqualTo("retained");
				awaitSubscribed(context);
				publish(publisher, topic, "live");
				assertThat(recorder.next("neverRetained")).isEqualTo("live");
				assertThat(recorder.next("sendRetained")).isEqualTo("live");
			});
		}
		finally {
			publisher.publish(topic, "", 1, true);
		}
	}

	static class RequestResponseListeners {

		@MqttListener(id = "ping", topics = "${test.prefix}/rr/ping")
		String ping(String payload) {
			return "pong:" + payload;
		}

		@MqttListener(id = "sendTo", topics = "${test.prefix}/rr/sendto")
		@SendTo("${test.prefix}/replies/default")
		String sendTo(String payload) {
			return "done:" + payload;
		}

	}

	static class UserPropertyListeners {

		private final Recorder recorder;

		UserPropertyListeners(Recorder recorder) {
			this.recorder = recorder;
		}

		@MqttListener(id = "props", topics = "${test.prefix}/props")
		void onMessage(String payload, @Header("tenant") String tenant,
				@Header(MessageHeaders.CONTENT_TYPE) String contentType) {
			this.recorder.record("props", tenant + "|" + contentType + "|" + payload);
		}

	}

	static class NoLocalListeners {

		private final Recorder recorder;

		NoLocalListeners(Recorder recorder) {
			this.recorder = recorder;
		}

		@MqttListener(id = "noLocal", topics = "${test.prefix}/nl", noLocal = true)
		void noLocal(String payload) {
			this.recorder.record("noLocal", payload);
		}

	}

	static class RetainHandlingListeners {

		private final Recorder recorder;

		RetainHandlingListeners(Recorder recorder) {
			this.recorder = recorder;
		}

		@MqttListener(id = "neverRetained", topics = "${test.prefix}/rh/state", retainHandling = 2)
		void never(String payload) {
			this.recorder.record("neverRetained", payload);
		}

		@MqttListener(id = "sendRetained", topics = "${test.prefix}/rh/+")
		void send(String payload) {
			this.recorder.record("sendRetained", payload);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableIntegration
	static class IntegrationConfiguration {

		@Bean
		DirectChannel adapterOutput(Recorder recorder) {
			return ListenerTestSupport.acknowledgingAdapterOutput(recorder);
		}

		@Bean
		Mqttv5PahoMessageDrivenChannelAdapter inboundAdapter(
				ClientManager<IMqttAsyncClient, MqttConnectionOptions> clientManager, DirectChannel adapterOutput,
				Environment environment) {
			Mqttv5PahoMessageDrivenChannelAdapter adapter = new Mqttv5PahoMessageDrivenChannelAdapter(clientManager,
					environment.getRequiredProperty("test.prefix") + "/si/#");
			adapter.setOutputChannel(adapterOutput);
			return adapter;
		}

		@Bean
		Mqttv5PahoMessageHandler outboundHandler(
				ClientManager<IMqttAsyncClient, MqttConnectionOptions> clientManager) {
			Mqttv5PahoMessageHandler handler = new Mqttv5PahoMessageHandler(clientManager);
			handler.setAsync(false);
			return handler;
		}

		@Bean
		IntegrationSender integrationSender(Mqttv5PahoMessageHandler outboundHandler) {
			return (topic, payload) -> {
				outboundHandler.start();
				outboundHandler.handleMessage(MessageBuilder.withPayload(payload).setHeader(MqttHeaders.TOPIC, topic).build());
			};
		}

	}

}
