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

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.mqttboot.core.MqttTemplate;
import io.mqttboot.listener.ListenerTestSupport.Recorder;
import io.mqttboot.test.HiveMqBroker;
import io.mqttboot.test.MqttTestClient;
import io.mqttboot.test.TcpProxy;
import org.eclipse.paho.mqttv5.client.IMqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.integration.config.EnableIntegration;
import org.springframework.integration.mqtt.core.ClientManager;
import org.springframework.integration.mqtt.inbound.Mqttv5PahoMessageDrivenChannelAdapter;
import org.springframework.messaging.Message;

import static io.mqttboot.listener.ListenerTestSupport.QUIET;
import static io.mqttboot.listener.ListenerTestSupport.WAIT;
import static io.mqttboot.listener.ListenerTestSupport.awaitSubscribed;
import static io.mqttboot.listener.ListenerTestSupport.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every QoS 1 message the broker sends is acknowledged exactly once, counted on the wire
 * through a TCP proxy, when several receivers of the one connection take it: two
 * listeners with overlapping filters, a listener whose filter also covers the template's
 * response topic, and a Spring Integration adapter's shared subscription beside a
 * listener.
 *
 * @author mqttboot
 */
class InboundAcknowledgementIntegrationTests {

	private final String prefix = ListenerTestSupport.uniquePrefix("ack");

	private final TcpProxy proxy = TcpProxy.to(HiveMqBroker.shared().port());

	@AfterEach
	void closeProxy() {
		this.proxy.close();
	}

	private ApplicationContextRunner contextRunner(String protocolVersion) {
		return ListenerTestSupport.contextRunner(protocolVersion, this.proxy.mqttUrl(), this.prefix);
	}

	@Test
	void overlappingListenersMqtt5() {
		overlappingListeners("5");
	}

	@Test
	void overlappingListenersMqtt311() {
		overlappingListeners("3.1.1");
	}

	private void overlappingListeners(String protocolVersion) {
		contextRunner(protocolVersion).withUserConfiguration(OverlappingListeners.class).run((context) -> {
			awaitSubscribed(context);
			try (MqttTestClient publisher = MqttTestClient.connect(HiveMqBroker.shared().tcpUrl())) {
				for (int i = 0; i < 20; i++) {
					publish(publisher, this.prefix + "/a/x", "m" + i);
				}
			}
			Recorder recorder = context.getBean(Recorder.class);
			await().atMost(WAIT).until(() -> recorder.count("exact") >= 20 && recorder.count("hash") >= 20);
			awaitEveryPublishAcknowledgedOnce(20);
		});
	}

	@Test
	void listenerCoveringTheResponseTopic() {
		contextRunner("5").withUserConfiguration(RequestReplyListeners.class)
			.withPropertyValues("mqtt.client-id=" + this.prefix.replace('/', '-'))
			.run((context) -> {
				awaitSubscribed(context);
				MqttTemplate template = context.getBean(MqttTemplate.class);
				List<CompletableFuture<Message<byte[]>>> responses = new ArrayList<>();
				for (int i = 0; i < 20; i++) {
					responses.add(template.sendAndReceive(this.prefix + "/echo", "r" + i, Duration.ofSeconds(10)));
				}
				responses.forEach((response) -> assertThat(response).succeedsWithin(WAIT));
				Recorder recorder = context.getBean(Recorder.class);
				await().atMost(WAIT).until(() -> recorder.count("replies") >= 20);
				// 20 requests to the echo listener and at least 20 responses
				awaitEveryPublishAcknowledgedOnce(40);
			});
	}

	@Test
	void sharedSubscriptionOfAnIntegrationAdapterIsLeftToTheAdapter() {
		// Without subscription identifiers Paho cannot match a message to a '$share/...'
		// filter: it goes to every default message handler, the adapter's and the
		// starter's dispatcher, and only the adapter may acknowledge it.
		try (HiveMqBroker broker = HiveMqBroker.start(false,
				"<mqtt><subscription-identifier><enabled>false</enabled></subscription-identifier></mqtt>");
				TcpProxy proxy = TcpProxy.to(broker.port())) {
			ListenerTestSupport.contextRunner("5", proxy.mqttUrl(), this.prefix)
				.withUserConfiguration(SingleListener.class, SharedAdapterConfiguration.class)
				.run((context) -> {
					awaitSubscribed(context);
					Recorder recorder = context.getBean(Recorder.class);
					try (MqttTestClient publisher = MqttTestClient.connect(broker.tcpUrl())) {
						await().atMost(WAIT).untilAsserted(() -> {
							publish(publisher, this.prefix + "/si/probe", "probe");
							assertThat(recorder.count("adapter")).isPositive();
						});
						for (int i = 0; i < 20; i++) {
							publish(publisher, this.prefix + "/si/x", "s" + i);
						}
						publish(publisher, this.prefix + "/l/x", "to the listener");
					}
					await().atMost(WAIT)
						.until(() -> recorder.all("adapter").contains(this.prefix + "/si/x|s19") && recorder.count("listener") == 1);
					awaitEveryPublishAcknowledgedOnce(proxy, 21);
				});
		}
	}

	private void awaitEveryPublishAcknowledgedOnce(int atLeast) {
		awaitEveryPublishAcknowledgedOnce(this.proxy, atLeast);
	}

	private static void awaitEveryPublishAcknowledgedOnce(TcpProxy proxy, int atLeast) {
		await().atMost(WAIT).until(() -> proxy.packetsFromServer(TcpProxy.PUBLISH) >= atLeast);
		await("every PUBLISH from the broker acknowledged once").during(QUIET)
			.atMost(WAIT)
			.until(() -> proxy.packetsFromClient(TcpProxy.PUBACK) == proxy.packetsFromServer(TcpProxy.PUBLISH));
	}

	static class OverlappingListeners {

		private final Recorder recorder;

		OverlappingListeners(Recorder recorder) {
			this.recorder = recorder;
		}

		@MqttListener(id = "hash", topics = "${test.prefix}/#")
		void hash(String payload) {
			this.recorder.record("hash", payload);
		}

		@MqttListener(id = "exact", topics = "${test.prefix}/a/x")
		void exact(String payload) {
			this.recorder.record("exact", payload);
		}

	}

	static class SingleListener {

		private final Recorder recorder;

		SingleListener(Recorder recorder) {
			this.recorder = recorder;
		}

		@MqttListener(id = "listener", topics = "${test.prefix}/l/x")
		void listener(String payload) {
			this.recorder.record("listener", payload);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableIntegration
	static class SharedAdapterConfiguration {

		@Bean
		DirectChannel adapterOutput(Recorder recorder) {
			return ListenerTestSupport.acknowledgingAdapterOutput(recorder);
		}

		@Bean
		Mqttv5PahoMessageDrivenChannelAdapter sharedAdapter(
				ClientManager<IMqttAsyncClient, MqttConnectionOptions> clientManager, DirectChannel adapterOutput,
				Environment environment) {
			Mqttv5PahoMessageDrivenChannelAdapter adapter = new Mqttv5PahoMessageDrivenChannelAdapter(clientManager,
					"$share/group/" + environment.getRequiredProperty("test.prefix") + "/si/#");
			adapter.setOutputChannel(adapterOutput);
			return adapter;
		}

	}

	static class RequestReplyListeners {

		private final Recorder recorder;

		RequestReplyListeners(Recorder recorder) {
			this.recorder = recorder;
		}

		@MqttListener(id = "echo", topics = "${test.prefix}/echo")
		String echo(String payload) {
			return payload;
		}

		@MqttListener(id = "replies", topics = MqttTemplate.RESPONSE_TOPIC_PREFIX + "${mqtt.client-id}/#")
		void replies(String payload) {
			this.recorder.record("replies", payload);
		}

	}

}
