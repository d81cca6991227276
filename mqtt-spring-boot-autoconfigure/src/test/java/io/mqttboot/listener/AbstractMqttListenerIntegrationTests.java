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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.mqttboot.event.MqttSubscriptionFailedEvent;
import io.mqttboot.listener.ListenerTestSupport.Gate;
import io.mqttboot.listener.ListenerTestSupport.Recorder;
import io.mqttboot.test.EnabledIfMosquitto;
import io.mqttboot.test.HiveMqBroker;
import io.mqttboot.test.MosquittoBroker;
import io.mqttboot.test.MqttTestClient;
import io.mqttboot.test.TestBroker;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.integration.mqtt.core.ClientManager;
import org.springframework.integration.mqtt.support.MqttHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;
import org.springframework.messaging.handler.annotation.SendTo;

import static io.mqttboot.listener.ListenerTestSupport.QUIET;
import static io.mqttboot.listener.ListenerTestSupport.WAIT;
import static io.mqttboot.listener.ListenerTestSupport.awaitSubscribed;
import static io.mqttboot.listener.ListenerTestSupport.publish;
import static io.mqttboot.listener.ListenerTestSupport.registry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Integration tests of {@link MqttListener @MqttListener} against real brokers, written
 * once and run for MQTT 5 and 3.1.1 by subclasses.
 *
 * @author mqttboot
 */
@ExtendWith(OutputCaptureExtension.class)
abstract class AbstractMqttListenerIntegrationTests {

	final TestBroker broker = broker();

	static MqttTestClient publisher;

	final String prefix = ListenerTestSupport.uniquePrefix(protocolVersion());

	@BeforeEach
	void connectPublisher() {
		if (publisher == null) {
			publisher = MqttTestClient.connect(this.broker.tcpUrl());
		}
	}

	@AfterAll
	static void closePublisher() {
		if (publisher != null) {
			publisher.close();
			publisher = null;
		}
	}

	/**
	 * Return the broker under test (default: the shared HiveMQ).
	 * @return the broker
	 */
	TestBroker broker() {
		return HiveMqBroker.shared();
	}

	/**
	 * Return the value of {@code mqtt.protocol-version} under test.
	 * @return the protocol version
	 */
	abstract String protocolVersion();

	/**
	 * Return the properties of a persistent session for this version.
	 * @return the properties
	 */
	abstract String[] persistentSessionProperties();

	/**
	 * Close the connection of the application abruptly, without DISCONNECT.
	 * @param context the application context
	 * @throws Exception if that fails
	 */
	abstract void killConnection(ApplicationContext context) throws Exception;

	/**
	 * Return the configuration of a user-made Spring Integration inbound adapter and
	 * outbound handler on the auto-configured client manager.
	 * @return the configuration class
	 */
	abstract Class<?> integrationConfiguration();

	/**
	 * Return what the reason of a subscription refused by Mosquitto contains.
	 * @return the expected reason text
	 */
	abstract String refusedSubscriptionReason();

	ApplicationContextRunner contextRunner() {
		return ListenerTestSupport.contextRunner(protocolVersion(), this.broker.mqttUrl(), this.prefix);
	}

	String topic(String name) {
		return this.prefix + "/" + name;
	}

	@Test
	void wildcardsAndTopicVariables() {
		contextRunner().withUserConfiguration(SensorListeners.class).run((context) -> {
			assertThat(registry(context).getListenerIds()).containsExactlyInAnyOrder("sensors", "everything");
			awaitSubscribed(context);
			publish(publisher, topic("sensors/kitchen/temperature"), "21.5");
			Recorder recorder = context.getBean(Recorder.class);
			assertThat(recorder.next("sensors"))
				.isEqualTo("kitchen|21.5|" + topic("sensors/kitchen/temperature") + "|1");
			assertThat(recorder.next("everything")).isEqualTo(topic("sensors/kitchen/temperature") + "|21.5");
			publish(publisher, topic("sensors/kitchen/humidity"), "40");
			assertThat(recorder.next("everything")).isEqualTo(topic("sensors/kitchen/humidity") + "|40");
			await().during(QUIET).atMost(WAIT).until(() -> recorder.count("sensors") == 1);
		});
	}

	@Test
	void jsonInAndOutWithSendTo() {
		contextRunner().withUserConfiguration(JsonListeners.class).run((context) -> {
			awaitSubscribed(context);
			try (MqttTestClient observer = MqttTestClient.connect(this.broker.tcpUrl())) {
				observer.subscribe(topic("json/out/+"), 1);
				publish(publisher, topic("json/in/d1"), "{\"device\":\"d1\",\"value\":21.5}");
				Recorder recorder = context.getBean(Recorder.class);
				assertThat(recorder.next("json")).isEqualTo(new Reading("d1", 21.5));
				assertThat(recorder.next("jsonMessage")).isEqualTo(new Reading("d1", 21.5));
				MqttTestClient.Received reply = observer.awaitMessage(topic("json/out/d1"), WAIT);
				assertThat(reply.payloadAsString()).isEqualTo("{\"device\":\"d1\",\"ok\":true}");
			}
		});
	}

	@Test
	void headersAndRawPayloads() {
		contextRunner().withUserConfiguration(HeaderListeners.class).run((context) -> {
			awaitSubscribed(context);
			publisher.publish(topic("headers"), "héllo", 1, false);
			Recorder recorder = context.getBean(Recorder.class);
			assertThat(recorder.next("bytes")).isEqualTo("héllo");
			@SuppressWarnings("unchecked")
			Map<String, Object> headers = (Map<String, Object>) recorder.next("headers");
			assertThat(headers).containsEntry(MqttHeaders.RECEIVED_TOPIC, topic("headers"))
				.containsEntry(MqttHeaders.RECEIVED_QOS, 1)
				.containsEntry(MqttHeaders.RECEIVED_RETAINED, false)
				.containsEntry(MqttHeaders.DUPLICATE, false)
				.containsKey(MqttHeaders.ID);
			assertThat(recorder.next("message")).isEqualTo("héllo|" + topic("headers") + "|1");
			assertThat(recorder.next("anyMessage")).isEqualTo("héllo|" + topic("headers"));
			publish(publisher, topic("repeated/one"), "1");
			assertThat(recorder.next("repeated")).isEqualTo(topic("repeated/one") + "|1");
			publish(publisher, topic("repeated/two"), "2");
			assertThat(recorder.next("repeated")).isEqualTo(topic("repeated/two") + "|2");
		});
	}

	@Test
	void overlappingFiltersReachEachListenerOnce() {
		contextRunner().withUserConfiguration(OverlappingListeners.class).run((context) -> {
			awaitSubscribed(context);
			for (int i = 0; i < 5; i++) {
				publish(publisher, topic("o/a/x"), "m" + i);
			}
			publish(publisher, topic("o/b/x"), "other");
			Recorder recorder = context.getBean(Recorder.class);
			List<String> expected = List.of("m0", "m1", "m2", "m3", "m4");
			await().atMost(WAIT).until(() -> recorder.count("exact") == 5 && recorder.count("exact2") == 5
					&& recorder.count("plus") == 6 && recorder.count("hash") == 6);
			await().during(QUIET).atMost(WAIT)
				.until(() -> recorder.count("exact") == 5 && recorder.count("exact2") == 5
						&& recorder.count("plus") == 6 && recorder.count("hash") == 6);
			assertThat(recorder.all("exact")).isEqualTo(expected);
			assertThat(recorder.all("exact2")).isEqualTo(expected);
			assertThat(recorder.all("plus")).containsSubsequence(expected).contains("other");
			assertThat(recorder.all("hash")).containsSubsequence(expected).contains("other");
		});
	}

	@Test
	void sharedSubscriptionSplitsMessagesAcrossApplications() {
		ApplicationContextRunner runner = contextRunner().withUserConfiguration(SharedListeners.class)
			.withPropertyValues("test.group=g" + Math.abs(this.prefix.hashCode()));
		runner.run((first) -> runner.run((second) -> {
			awaitSubscribed(first);
			awaitSubscribed(second);
			Recorder a = first.getBean(Recorder.class);
			Recorder b = second.getBean(Recorder.class);
			int published = 0;
			// How the broker spreads messages over the group is its choice: publish until
			// both members had some.
			while (published < 500 && (a.count("shared") == 0 || b.count("shared") == 0)) {
				for (int i = 0; i < 10; i++, published++) {
					publish(publisher, topic("jobs/" + (published % 3)), "job" + published);
				}
				int expected = published;
				await().atMost(WAIT).until(() -> a.count("shared") + b.count("shared") == expected);
			}
			int total = published;
			await().during(QUIET).atMost(WAIT).until(() -> a.count("shared") + b.count("shared") == total);
			Set<Object> all = new HashSet<>(a.all("shared"));
			all.addAll(b.all("shared"));
			assertThat(all).hasSize(total);
			assertThat(a.count("shared")).isPositive();
			assertThat(b.count("shared")).isPositive();
		}));
	}

	@Test
	void retainedMessagesArriveOnSubscribe() {
		String topic = topic("retained/lamp");
		publisher.publish(topic, "on", 1, true);
		try {
			contextRunner().withUserConfiguration(RetainedListeners.class).run((context) -> {
				Recorder recorder = context.getBean(Recorder.class);
				assertThat(recorder.next("retained")).isEqualTo(topic + "|on|true");
				publish(publisher, topic, "off");
				assertThat(recorder.next("retained")).isEqualTo(topic + "|off|false");
			});
		}
		finally {
			publisher.publish(topic, "", 1, true);
		}
	}

	@Test
	void anApplicationErrorHandlerOfAnyNameHandlesListenersThatNameNone() {
		contextRunner().withUserConfiguration(ApplicationErrorHandlerListeners.class).run((context) -> {
			awaitSubscribed(context);
			Recorder recorder = context.getBean(Recorder.class);
			publish(publisher, topic("picky"), "boom");
			publish(publisher, topic("picky"), "fine");
			assertThat(recorder.next("dead")).isEqualTo("picky");
			assertThat(recorder.next("picky")).isEqualTo("fine");
		});
	}

	@Test
	void failuresGoToTheErrorHandlerAndTheNextMessageArrives(CapturedOutput output) {
		contextRunner().withUserConfiguration(FailingListeners.class).run((context) -> {
			awaitSubscribed(context);
			Recorder recorder = context.getBean(Recorder.class);
			publish(publisher, topic("fail"), "boom");
			publish(publisher, topic("fail"), "fine");
			MqttListenerExecutionFailedException failure = (MqttListenerExecutionFailedException) recorder
				.next("errors");
			assertThat(failure.getListenerId()).isEqualTo("failing");
			assertThat(failure.getTopic()).isEqualTo(topic("fail"));
			assertThat(failure.getTargetType()).isEqualTo("java.lang.String");
			assertThat(failure.isConversionFailure()).isFalse();
			assertThat(failure.getCause()).hasMessage("boom from the listener");
			assertThat(recorder.next("failing")).isEqualTo("fine");
			publish(publisher, topic("typed"), "{not json: secret-payload");
			publish(publisher, topic("typed"), "{\"device\":\"d2\",\"value\":1.0}");
			assertThat(recorder.next("typed")).isEqualTo(new Reading("d2", 1.0));
			assertThat(output).contains("MQTT listener 'typed' could not process a message from topic '"
					+ topic("typed") + "' (target type " + Reading.class.getName() + "): payload not convertible");
			assertThat(output).doesNotContain("secret-payload");
			assertThat(context.getBean(ClientManager.class).isConnected()).isTrue();
		});
	}

	@Test
	void qos1MessageIsRedeliveredWhenTheApplicationDiesBeforeTheListenerReturns() {
		String clientId = ListenerTestSupport.clientId("redeliver");
		ApplicationContextRunner runner = contextRunner().withUserConfiguration(BlockingListeners.class)
			.withPropertyValues(persistentSessionProperties())
			.withPropertyValues("mqtt.client-id=" + clientId, "mqtt.automatic-reconnect=false");
		Gate firstGate = new Gate(false);
		runner.withBean(Gate.class, () -> firstGate).run((first) -> {
			awaitSubscribed(first);
			publish(publisher, topic("work"), "job-1");
			Recorder firstRecorder = first.getBean(Recorder.class);
			assertThat(firstRecorder.next("work")).isEqualTo("job-1");
			killConnection(first);
			await().atMost(WAIT).until(() -> !first.getBean(ClientManager.class).isConnected());
			try {
				runner.withBean(Gate.class, () -> new Gate(true)).run((second) -> {
					Recorder secondRecorder = second.getBean(Recorder.class);
					assertThat(secondRecorder.next("work")).isEqualTo("job-1");
					awaitSubscribed(second);
					publish(publisher, topic("work"), "job-2");
					assertThat(secondRecorder.next("work")).isEqualTo("job-2");
				});
			}
			finally {
				firstGate.open();
			}
		});
	}

	@Test
	void qos2ListenerReceivesAtQos2On311AtQos1On5AndTheConnectionStaysUp() {
		// MQTT 5: Paho 1.2.5 acknowledges QoS 2 before the method returned (docs/listeners.md)
		int qos = "5".equals(protocolVersion()) ? 1 : 2;
		contextRunner().withUserConfiguration(Qos2Listeners.class).run((context) -> {
			awaitSubscribed(context);
			Recorder recorder = context.getBean(Recorder.class);
			publisher.publish(topic("qos2"), "first", 2, false);
			publisher.publish(topic("qos2"), "second", 2, false);
			assertThat(recorder.next("qos2")).isEqualTo("first|" + qos);
			assertThat(recorder.next("qos2")).isEqualTo("second|" + qos);
			assertThat(context.getBean(ClientManager.class).isConnected()).isTrue();
		});
	}

	@Test
	void listenerCanBeStoppedAndStartedById() {
		contextRunner().withUserConfiguration(StartStopListeners.class).run((context) -> {
			MqttListenerEndpointRegistry registry = registry(context);
			assertThat(registry.getListenerIds()).containsExactly("manual", "auto");
			assertThat(registry.isRunning("manual")).isFalse();
			assertThat(registry.isRunning("auto")).isTrue();
			awaitSubscribed(context, "auto");
			Recorder recorder = context.getBean(Recorder.class);
			publish(publisher, topic("ss/auto"), "a1");
			assertThat(recorder.next("auto")).isEqualTo("a1");
			registry.stop("auto");
			assertThat(registry.isRunning("auto")).isFalse();
			registry.start("manual");
			assertThat(registry.isRunning("manual")).isTrue();
			awaitSubscribed(context, "manual");
			publish(publisher, topic("ss/manual"), "m1");
			assertThat(recorder.next("manual")).isEqualTo("m1");
			publish(publisher, topic("ss/auto"), "a2");
			await().during(QUIET).atMost(WAIT).until(() -> recorder.count("auto") == 1);
			registry.start("auto");
			awaitSubscribed(context, "auto");
			publish(publisher, topic("ss/auto"), "a3");
			assertThat(recorder.next("auto")).isEqualTo("a3");
		});
	}

	@Test
	void listenersOnProxiedBeansAreInvokedThroughTheProxy() {
		contextRunner().withUserConfiguration(ProxiedListenerConfiguration.class).run((context) -> {
			awaitSubscribed(context);
			assertThat(registry(context).getListenerIds()).containsExactlyInAnyOrder("cglib", "jdk");
			Recorder recorder = context.getBean(Recorder.class);
			publish(publisher, topic("proxied/cglib"), "c");
			publish(publisher, topic("proxied/jdk"), "j");
			assertThat(recorder.next("cglib")).isEqualTo("c");
			assertThat(recorder.next("jdk")).isEqualTo("j");
			await().atMost(WAIT).until(() -> recorder.count("intercepted") == 2);
		});
	}

	@Test
	void invalidFilterFailsStartupNamingMethodAndFilter() {
		contextRunner().withUserConfiguration(InvalidListeners.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining(InvalidListeners.class.getName() + ".on")
				.hasMessageContaining("invalid topic filter '" + topic("bad/#/filter") + "'")
				.hasMessageContaining("'#' must be a whole level and the last one");
		});
	}

	@Test
	void springIntegrationAdapterAndHandlerWorkBesideListeners() {
		contextRunner().withUserConfiguration(integrationConfiguration(), SensorListeners.class).run((context) -> {
			awaitSubscribed(context);
			Recorder recorder = context.getBean(Recorder.class);
			await().atMost(WAIT).untilAsserted(() -> {
				publish(publisher, topic("si/probe"), "probe");
				assertThat(recorder.count("adapter")).isPositive();
			});
			publish(publisher, topic("si/in"), "to-adapter");
			await().atMost(WAIT).until(() -> recorder.all("adapter").contains(topic("si/in") + "|to-adapter"));
			context.getBean(IntegrationSender.class).send(topic("sensors/hall/temperature"), "19");
			assertThat((String) recorder.next("sensors")).startsWith("hall|19|" + topic("sensors/hall/temperature"));
			for (int i = 0; i < 30; i++) {
				publish(publisher, topic("si/in"), "n" + i);
			}
			await().atMost(WAIT).until(() -> recorder.all("adapter").contains(topic("si/in") + "|n29"));
			assertThat(recorder.all("sensors")).hasSize(1);
			assertThat(recorder.all("everything")).hasSize(1);
		});
	}

	@Test
	@EnabledIfMosquitto
	void subscriptionsAreRestoredAfterTheBrokerRestarts() {
		try (MosquittoBroker mosquitto = MosquittoBroker.startPlain()) {
			contextRunner().withPropertyValues("mqtt.url=" + mosquitto.mqttUrl())
				.withUserConfiguration(SensorListeners.class)
				.run((context) -> {
					awaitSubscribed(context);
					Recorder recorder = context.getBean(Recorder.class);
					try (MqttTestClient client = MqttTestClient.connect(mosquitto.tcpUrl())) {
						publish(client, topic("sensors/attic/temperature"), "30");
						assertThat((String) recorder.next("sensors")).startsWith("attic|30|");
					}
					mosquitto.restart();
					awaitSubscribed(context);
					try (MqttTestClient client = MqttTestClient.connect(mosquitto.tcpUrl())) {
						publish(client, topic("sensors/attic/temperature"), "31");
						assertThat((String) recorder.next("sensors")).startsWith("attic|31|");
					}
				});
		}
	}

	@Test
	@EnabledIfMosquitto
	void refusedSubscriptionIsLoggedAndReported(@TempDir Path directory, CapturedOutput output) throws Exception {
		Path plugin = Path.of("/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so");
		assumeTrue(Files.exists(plugin), "Mosquitto's dynamic security plugin is needed to refuse a subscription");
		Path config = directory.resolve("dynamic-security.json");
		Files.writeString(config, """
				{
					"defaultACLAccess": { "publishClientSend": true, "publishClientReceive": true,
						"subscribe": true, "unsubscribe": true },
					"clients": [],
					"groups": [ { "groupname": "anonymous", "roles": [ { "rolename": "restricted" } ] } ],
					"anonymousGroup": "anonymous",
					"roles": [ { "rolename": "restricted", "acls": [ { "acltype": "subscribePattern",
						"topic": "denied/#", "priority": 0, "allow": false } ] } ]
				}
				""");
		try (MosquittoBroker mosquitto = MosquittoBroker.builder()
			.config("plugin " + plugin, "plugin_opt_config_file " + config)
			.start()) {
			contextRunner().withPropertyValues("mqtt.url=" + mosquitto.mqttUrl())
				.withUserConfiguration(RefusedListeners.class, SubscriptionEvents.class)
				.run((context) -> {
					MqttListenerEndpointRegistry registry = registry(context);
					awaitSubscribed(context, "allowed");
					await().atMost(WAIT).until(() -> !registry.getFailedSubscriptions().isEmpty());
					assertThat(registry.getFailedSubscriptions()).containsOnlyKeys("denied/" + this.prefix);
					assertThat(registry.getFailedSubscriptions().get("denied/" + this.prefix))
						.contains(refusedSubscriptionReason());
					assertThat(output).contains("refused the subscription to 'denied/" + this.prefix
							+ "' of listener(s) [denied]");
					assertThat(context.getBean(ClientManager.class).isConnected()).isTrue();
					List<MqttSubscriptionFailedEvent> events = context.getBean(SubscriptionEvents.class).events;
					await().atMost(WAIT).until(() -> !events.isEmpty());
					MqttSubscriptionFailedEvent event = events.get(0);
					assertThat(event.getConnectionName()).isEqualTo("default");
					assertThat(event.getTopicFilter()).isEqualTo("denied/" + this.prefix);
					assertThat(event.getListenerIds()).containsExactly("denied");
					assertThat(event.getGrantedQos()).isNull();
					assertThat(event.getReasonCode()).isGreaterThanOrEqualTo(0x80);
					assertThat(refusedSubscriptionReason()).contains(Integer.toHexString(event.getReasonCode()));
				});
		}
	}

	static class SubscriptionEvents {

		final List<MqttSubscriptionFailedEvent> events = new CopyOnWriteArrayList<>();

		@EventListener
		void onFailed(MqttSubscriptionFailedEvent event) {
			this.events.add(event);
		}

	}

	record Reading(String device, double value) {
	}

	record Confirmation(String device, boolean ok) {
	}

	/**
	 * Sends through a user-made Spring Integration outbound handler.
	 */
	interface IntegrationSender {

		void send(String topic, String payload);

	}

	static class SensorListeners {

		private final Recorder recorder;

		SensorListeners(Recorder recorder) {
			this.recorder = recorder;
		}

		@MqttListener(id = "sensors", topics = "${test.prefix}/sensors/{device}/temperature")
		void onTemperature(String payload, @TopicVariable("device") String device,
				@Header(MqttHeaders.RECEIVED_TOPIC) String topic, @Header(MqttHeaders.RECEIVED_QOS) int qos) {
			this.recorder.record("sensors", device + "|" + payload + "|" + topic + "|" + qos);
		}

		@MqttListener(id = "everything", topics = "${test.prefix}/sensors/#", qos = 0)
		void onAnything(byte[] payload, @Header(MqttHeaders.RECEIVED_TOPIC) String topic) {
			this.recorder.record("everything", topic + "|" + new String(payload));
		}

	}

	static class JsonListeners {

		private final Recorder recorder;

		JsonListeners(Recorder recorder) {
			this.recorder = recorder;
		}

		@MqttListener(id = "json", topics = "${test.prefix}/json/in/{device}")
		@SendTo("${test.prefix}/json/out/{device}")
		Confirmation onReading(Reading reading) {
			this.recorder.record("json", reading);
			return new Confirmation(reading.device(), true);
		}

		@MqttListener(id = "jsonMessage", topics = "${test.prefix}/json/in/+")
		void onMessage(Message<Reading> message) {
			this.recorder.record("jsonMessage", message.getPayload());
		}

	}

	static class HeaderListeners {

		private final Recorder recorder;

		HeaderListeners(Recorder recorder) {
			this.recorder = recorder;
		}

		@MqttListener(id = "bytes", topics = "${test.prefix}/headers")
		void onBytes(byte[] payload) {
			this.recorder.record("bytes", new String(payload, StandardCharsets.UTF_8));
		}

		@MqttListener(id = "headers", topics = "${test.prefix}/headers")
		void onHeaders(String payload, @Headers Map<String, Object> headers) {
			this.recorder.record("headers", headers);
		}

		@MqttListener(id = "message", topics = "${test.prefix}/headers")
		void onMessage(Message<byte[]> message, @Header(MqttHeaders.RECEIVED_QOS) int qos) {
			this.recorder.record("message", new String(message.getPayload(), StandardCharsets.UTF_8) + "|"
					+ message.getHeaders().get(MqttHeaders.RECEIVED_TOPIC) + "|" + qos);
		}

		@MqttListener(id = "anyMessage", topics = "${test.prefix}/headers")
		void onAnyMessage(Message<?> message) {
			this.recorder.record("anyMessage", new String((byte[]) message.getPayload(), StandardCharsets.UTF_8)
					+ "|" + message.getHeaders().get(MqttHeaders.RECEIVED_TOPIC));
		}

		@MqttListener(id = "first", topics = "${test.prefix}/repeated/one")
		@MqttListener(id = "second", topics = "${test.prefix}/repeated/two")
		void onRepeated(String payload, @Header(MqttHeaders.RECEIVED_TOPIC) String topic) {
			this.recorder.record("repeated", topic + "|" + payload);
		}

	}

	static class OverlappingListeners {

		private final Recorder recorder;

		OverlappingListeners(Recorder recorder) {
			this.recorder = recorder;
		}

		@MqttListener(id = "hash", topics = "${test.prefix}/o/#")
		void hash(String payload) {
			this.recorder.record("hash", payload);
		}

		@MqttListener(id = "plus", topics = "${test.prefix}/o/+/x")
		void plus(String payload) {
			this.recorder.record("plus", payload);
		}

		@MqttListener(id = "exact", topics = "${test.prefix}/o/a/x")
		void exact(String payload) {
			this.recorder.record("exact", payload);
		}

		@MqttListener(id = "exact2", topics = "${test.prefix}/o/a/x")
		void exactToo(String payload) {
			this.recorder.record("exact2", payload);
		}

	}

	static class SharedListeners {

		private final Recorder recorder;

		SharedListeners(Recorder recorder) {
			this.recorder = recorder;
		}

		@MqttListener(id = "shared", topics = "${test.prefix}/jobs/+", group = "${test.group}")
		void onJob(String payload) {
			this.recorder.record("shared", payload);
		}

	}

	static class RetainedListeners {

		private final Recorder recorder;

		RetainedListeners(Recorder recorder) {
			this.recorder = recorder;
		}

		@MqttListener(id = "retained", topics = "${test.prefix}/retained/#")
		void onRetained(String payload, @Header(MqttHeaders.RECEIVED_TOPIC) String topic,
				@Header(MqttHeaders.RECEIVED_RETAINED) boolean retained) {
			this.recorder.record("retained", topic + "|" + payload + "|" + retained);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class FailingListeners {

		private final Recorder recorder;

		FailingListeners(Recorder recorder) {
			this.recorder = recorder;
		}

		// Only for the listener that names it: the others keep the logging handler
		@Bean(defaultCandidate = false)
		MqttListenerErrorHandler recordingErrorHandler(ObjectProvider<Recorder> recorder) {
			return (message, exception) -> recorder.getObject().record("errors", exception);
		}

		@MqttListener(id = "failing", topics = "${test.prefix}/fail", errorHandler = "recordingErrorHandler")
		void onMessage(String payload) {
			if (payload.equals("boom")) {
				throw new IllegalStateException("boom from the listener");
			}
			this.recorder.record("failing", payload);
		}

		@MqttListener(id = "typed", topics = "${test.prefix}/typed")
		void onReading(Reading reading) {
			this.recorder.record("typed", reading);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ApplicationErrorHandlerListeners {

		private final Recorder recorder;

		ApplicationErrorHandlerListeners(Recorder recorder) {
			this.recorder = recorder;
		}

		@Bean
		MqttListenerErrorHandler deadLetters(ObjectProvider<Recorder> recorder) {
			return (message, exception) -> recorder.getObject().record("dead", exception.getListenerId());
		}

		@MqttListener(id = "picky", topics = "${test.prefix}/picky")
		void onMessage(String payload) {
			if (payload.equals("boom")) {
				throw new IllegalStateException("boom from the listener");
			}
			this.recorder.record("picky", payload);
		}

	}

	static class BlockingListeners {

		private final Recorder recorder;

		private final Gate gate;

		BlockingListeners(Recorder recorder, Gate gate) {
			this.recorder = recorder;
			this.gate = gate;
		}

		@MqttListener(id = "work", topics = "${test.prefix}/work", qos = 1)
		void onWork(String payload) {
			this.recorder.record("work", payload);
			this.gate.pass();
		}

	}

	static class Qos2Listeners {

		private final Recorder recorder;

		Qos2Listeners(Recorder recorder) {
			this.recorder = recorder;
		}

		@MqttListener(id = "qos2", topics = "${test.prefix}/qos2", qos = 2)
		void on(String payload, @Header(MqttHeaders.RECEIVED_QOS) int qos) {
			this.recorder.record("qos2", payload + "|" + qos);
		}

	}

	static class StartStopListeners {

		private final Recorder recorder;

		StartStopListeners(Recorder recorder) {
			this.recorder = recorder;
		}

		@MqttListener(id = "manual", topics = "${test.prefix}/ss/manual", autoStartup = "${test.manual:false}")
		void manual(String payload) {
			this.recorder.record("manual", payload);
		}

		@MqttListener(id = "auto", topics = "${test.prefix}/ss/auto")
		void auto(String payload) {
			this.recorder.record("auto", payload);
		}

	}

	static class RefusedListeners {

		@MqttListener(id = "denied", topics = "denied/${test.prefix}")
		void denied(String payload) {
		}

		@MqttListener(id = "allowed", topics = "${test.prefix}/allowed")
		void allowed(String payload) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ProxiedListenerConfiguration {

		@Bean
		CglibProxiedListener cglibProxiedListener(Recorder recorder) {
			ProxyFactory factory = new ProxyFactory(new CglibProxiedListener(recorder));
			factory.setProxyTargetClass(true);
			factory.addAdvice(recordingInterceptor(recorder));
			return (CglibProxiedListener) factory.getProxy();
		}

		@Bean
		TextListener jdkProxiedListener(Recorder recorder) {
			ProxyFactory factory = new ProxyFactory(new JdkProxiedListener(recorder));
			factory.addInterface(TextListener.class);
			factory.addAdvice(recordingInterceptor(recorder));
			return (TextListener) factory.getProxy();
		}

		private static MethodInterceptor recordingInterceptor(Recorder recorder) {
			return (invocation) -> {
				recorder.record("intercepted", invocation.getMethod().getName());
				return invocation.proceed();
			};
		}

	}

	public static class CglibProxiedListener {

		private final Recorder recorder;

		public CglibProxiedListener(Recorder recorder) {
			this.recorder = recorder;
		}

		@MqttListener(id = "cglib", topics = "${test.prefix}/proxied/cglib")
		public void on(String payload) {
			this.recorder.record("cglib", payload);
		}

	}

	interface TextListener {

		void accept(String payload);

	}

	static class JdkProxiedListener implements TextListener {

		private final Recorder recorder;

		JdkProxiedListener(Recorder recorder) {
			this.recorder = recorder;
		}

		@Override
		@MqttListener(id = "jdk", topics = "${test.prefix}/proxied/jdk")
		public void accept(String payload) {
			this.recorder.record("jdk", payload);
		}

	}

	static class InvalidListeners {

		@MqttListener(topics = "${test.prefix}/bad/#/filter")
		void on(String payload) {
		}

	}
}
