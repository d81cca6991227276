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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.mqttboot.connection.MqttConnection;
import io.mqttboot.listener.ListenerTestSupport.Gate;
import io.mqttboot.listener.ListenerTestSupport.Recorder;
import io.mqttboot.test.EnabledIfMosquitto;
import io.mqttboot.test.HiveMqBroker;
import io.mqttboot.test.MosquittoBroker;
import io.mqttboot.test.MqttTestClient;
import io.mqttboot.test.TcpProxy;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.integration.mqtt.support.MqttHeaders;
import org.springframework.messaging.handler.annotation.Header;

import static io.mqttboot.listener.ListenerTestSupport.QUIET;
import static io.mqttboot.listener.ListenerTestSupport.WAIT;
import static io.mqttboot.listener.ListenerTestSupport.awaitSubscribed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * QoS 2 listeners, counted on the wire through a TCP proxy. On MQTT 3.1.1 they receive
 * each message once: PUBREC on arrival, the method at PUBREL, one PUBCOMP after it
 * returned, also when the connection is cut or the broker restarts (persistent session)
 * while the method runs, and when it returns during the outage. On MQTT 5 Paho 1.2.5
 * sends PUBREC and PUBCOMP by itself before the method returned, and a second PUBCOMP on
 * a manual acknowledgement: shown with a bare Paho client; the starter subscribes such
 * listeners with QoS 1.
 *
 * @author mqttboot
 */
class Qos2ListenerIntegrationTests {

	private static final int PUBREC = 5;

	private static final int PUBREL = 6;

	private static final int PUBCOMP = 7;

	private static final String RESTART_TOPIC = "it/qos2/restart/x";

	private final String prefix = ListenerTestSupport.uniquePrefix("qos2");

	private final TcpProxy proxy = TcpProxy.to(HiveMqBroker.shared().port());

	@AfterEach
	void closeProxy() {
		this.proxy.close();
	}

	private ApplicationContextRunner persistentSession(String protocolVersion, TcpProxy proxy) {
		return ListenerTestSupport.contextRunner(protocolVersion, proxy.mqttUrl(), this.prefix)
			.withUserConfiguration(Qos2Listener.class)
			.withPropertyValues("mqtt.clean-start=false", "mqtt.client-id=" + ListenerTestSupport.clientId("qos2"))
			.withPropertyValues(protocolVersion.equals("5") ? "mqtt.session-expiry=1h" : "test.session=persistent");
	}

	@Test
	void mqtt311EveryMessageOnceAndOnePubcompAfterTheListenerReturned() {
		Gate gate = new Gate(false);
		persistentSession("3.1.1", this.proxy).withBean(Gate.class, () -> gate).run((context) -> {
			awaitSubscribed(context);
			Recorder recorder = context.getBean(Recorder.class);
			try (MqttTestClient publisher = MqttTestClient.connect(HiveMqBroker.shared().tcpUrl())) {
				for (int i = 0; i < 20; i++) {
					publisher.publish(this.prefix + "/x", "m" + i, 2, false);
				}
				await().atMost(WAIT).until(() -> recorder.count("started") == 1);
				// the first message is with the method: PUBREC sent, PUBREL received, no PUBCOMP
				assertThat(this.proxy.packetsFromClient(PUBREC)).isPositive();
				assertThat(this.proxy.packetsFromServer(PUBREL)).isPositive();
				assertThat(this.proxy.packetsFromClient(PUBCOMP)).isZero();
				gate.open();
				await().atMost(WAIT).until(() -> recorder.count("done") == 20);
			}
			assertThat(recorder.all("qos")).containsOnly(2);
			awaitOnePubcompPerMessage(this.proxy, 20);
			assertThat(recorder.all("done")).hasSize(20).doesNotHaveDuplicates();
		});
	}

	@Test
	void mqtt311CutWhileTheListenerRunsDeliversOnceAndCompletesOnTheNextConnection() {
		Gate gate = new Gate(false);
		persistentSession("3.1.1", this.proxy).withBean(Gate.class, () -> gate).run((context) -> {
			awaitSubscribed(context);
			Recorder recorder = context.getBean(Recorder.class);
			MqttConnection connection = context.getBean(MqttConnection.class);
			try (MqttTestClient publisher = MqttTestClient.connect(HiveMqBroker.shared().tcpUrl())) {
				publisher.publish(this.prefix + "/x", "cut", 2, false);
			}
			await().atMost(WAIT).until(() -> recorder.count("started") == 1);
			this.proxy.cut();
			// the broker sends the PUBREL again on the next connection of the session
			await().atMost(WAIT)
				.until(() -> this.proxy.accepted() >= 2 && this.proxy.packetsFromServer(PUBREL) >= 2
						&& connection.isConnected());
			assertThat(this.proxy.packetsFromClient(PUBCOMP)).isZero();
			gate.open();
			awaitOnePubcompPerMessage(this.proxy, 1);
			assertThat(recorder.all("started")).containsExactly("cut");
			assertThat(recorder.all("done")).containsExactly("cut");
		});
	}

	@Test
	void mqtt311ListenerReturningDuringTheOutageIsCompletedWhenTheBrokerSendsThePubrelAgain() {
		Gate gate = new Gate(false);
		persistentSession("3.1.1", this.proxy).withBean(Gate.class, () -> gate).run((context) -> {
			awaitSubscribed(context);
			Recorder recorder = context.getBean(Recorder.class);
			MqttConnection connection = context.getBean(MqttConnection.class);
			try (MqttTestClient publisher = MqttTestClient.connect(HiveMqBroker.shared().tcpUrl())) {
				publisher.publish(this.prefix + "/x", "outage", 2, false);
			}
			await().atMost(WAIT).until(() -> recorder.count("started") == 1);
			this.proxy.setRefusing(true);
			this.proxy.cut();
			await().atMost(WAIT).until(() -> !connection.isConnected());
			gate.open();
			await().atMost(WAIT).until(() -> recorder.count("done") == 1);
			this.proxy.setRefusing(false);
			await().atMost(WAIT).until(() -> connection.isConnected() && this.proxy.packetsFromServer(PUBREL) >= 2);
			awaitOnePubcompPerMessage(this.proxy, 1);
			assertThat(recorder.all("started")).containsExactly("outage");
			// the session goes on: the next message is delivered and completed
			try (MqttTestClient publisher = MqttTestClient.connect(HiveMqBroker.shared().tcpUrl())) {
				publisher.publish(this.prefix + "/x", "after", 2, false);
			}
			await().atMost(WAIT).until(() -> recorder.count("done") == 2);
			awaitOnePubcompPerMessage(this.proxy, 2);
			assertThat(recorder.all("started")).containsExactly("outage", "after");
		});
	}

	@Test
	void mqtt311StreamWithRepeatedCutsDeliversEveryMessageOnce() {
		int count = 300;
		persistentSession("3.1.1", this.proxy).withBean(Gate.class, () -> new Gate(true)).run((context) -> {
			awaitSubscribed(context);
			Recorder recorder = context.getBean(Recorder.class);
			MqttConnection connection = context.getBean(MqttConnection.class);
			try (MqttTestClient publisher = MqttTestClient.connect(HiveMqBroker.shared().tcpUrl())) {
				for (int i = 0; i < count; i++) {
					publisher.publish(this.prefix + "/x", "s" + i, 2, false);
					if (i % 75 == 40) {
						// cut while messages are in every stage: PUBLISH, PUBREL, with the listener
						this.proxy.cut();
					}
				}
			}
			await().atMost(WAIT.multipliedBy(2))
				.until(() -> recorder.count("done") >= count && connection.isConnected());
			await("no message delivered twice").during(QUIET)
				.atMost(WAIT)
				.until(() -> recorder.count("done") == count);
			assertThat(recorder.all("done")).doesNotHaveDuplicates().hasSize(count);
			// at least one cut hit a live connection (a cut before the reconnection hits none)
			assertThat(this.proxy.accepted()).isGreaterThanOrEqualTo(2);
			// one PUBCOMP per message, plus the few that a cut swallowed (read by the proxy,
			// never forwarded: the broker sends the PUBREL again, which Paho answers)
			assertThat(this.proxy.packetsFromClient(PUBCOMP)).isBetween(count, count + 4 * 10);
		});
	}

	@Test
	@EnabledIfMosquitto
	void mqtt311BrokerRestartWhileTheListenerRunsDeliversOnce(@TempDir Path store) throws Exception {
		Files.createDirectories(store);
		Gate gate = new Gate(false);
		try (MosquittoBroker broker = MosquittoBroker.builder()
			.config("persistence true", "persistence_location " + store + "/")
			.start(); TcpProxy proxy = TcpProxy.to(broker.port())) {
			persistentSession("3.1.1", proxy).withBean(Gate.class, () -> gate).run((context) -> {
				awaitSubscribed(context);
				Recorder recorder = context.getBean(Recorder.class);
				MqttConnection connection = context.getBean(MqttConnection.class);
				publishQos2(broker, 5);
				await().atMost(WAIT).until(() -> recorder.count("started") == 1);
				long before = connection.currentConnection();
				broker.restart();
				await().atMost(WAIT)
					.until(() -> connection.isConnected() && connection.currentConnection() != before
							&& proxy.packetsFromServer(PUBREL) >= 2);
				gate.open();
				await().atMost(WAIT).until(() -> recorder.count("done") >= 5);
				awaitOnePubcompPerMessage(proxy, 5);
				assertThat(recorder.all("started")).hasSize(5).doesNotHaveDuplicates();
				assertThat(recorder.all("done")).hasSize(5).doesNotHaveDuplicates();
			});
		}
	}

	@Test
	void mqtt311CrashMidMethodWithTheMemoryStoreLosesTheMessage() {
		// With the message's PUBREC the broker only sends the PUBREL again; a restarted
		// client that kept nothing answers it with PUBCOMP.
		assertThat(deliveriesAfterACrashMidMethod(new String[] { "mqtt.persistence=memory" })).isZero();
	}

	@Test
	void mqtt311CrashMidMethodWithTheFileStoreDeliversTheMessageAgain(@TempDir Path store) {
		// Paho's file store kept the received message: delivered again at the PUBREL.
		assertThat(deliveriesAfterACrashMidMethod(
				new String[] { "mqtt.persistence=file", "mqtt.persistence-directory=" + store }))
			.isOne();
	}

	// The first application stops while its listener is still in the method (as on a
	// crash, the method never returns while the client is open); the second one, with
	// the same client id and store, resumes the session.
	private int deliveriesAfterACrashMidMethod(String[] storeProperties) {
		String clientId = ListenerTestSupport.clientId("crash");
		CountDownLatch stuck = new CountDownLatch(1);
		ApplicationContextRunner runner = ListenerTestSupport
			.contextRunner("3.1.1", this.proxy.mqttUrl(), this.prefix)
			.withPropertyValues("mqtt.clean-start=false", "mqtt.client-id=" + clientId)
			.withPropertyValues(storeProperties);
		try {
			runner.withUserConfiguration(StuckListener.class).withBean(CountDownLatch.class, () -> stuck).run((first) -> {
				awaitSubscribed(first);
				try (MqttTestClient publisher = MqttTestClient.connect(HiveMqBroker.shared().tcpUrl())) {
					publisher.publish(this.prefix + "/x", "crash", 2, false);
				}
				await().atMost(WAIT).until(() -> first.getBean(Recorder.class).count("started") == 1);
			});
		}
		finally {
			stuck.countDown();
		}
		assertThat(this.proxy.packetsFromClient(PUBCOMP)).isZero();
		AtomicInteger deliveries = new AtomicInteger();
		runner.withUserConfiguration(Qos2Listener.class).withBean(Gate.class, () -> new Gate(true)).run((second) -> {
			awaitSubscribed(second);
			// the broker sent the PUBREL again, answered once, by Paho or after the method
			await().atMost(WAIT).until(() -> this.proxy.packetsFromClient(PUBCOMP) == 1);
			await().during(QUIET).atMost(WAIT).until(() -> this.proxy.packetsFromClient(PUBCOMP) == 1);
			deliveries.set(second.getBean(Recorder.class).count("done"));
		});
		return deliveries.get();
	}

	@Test
	void mqtt5Qos2ListenerIsSubscribedWithQos1() {
		persistentSession("5", this.proxy).withBean(Gate.class, () -> new Gate(true)).run((context) -> {
			awaitSubscribed(context);
			Recorder recorder = context.getBean(Recorder.class);
			try (MqttTestClient publisher = MqttTestClient.connect(HiveMqBroker.shared().tcpUrl())) {
				publisher.publish(this.prefix + "/x", "v5", 2, false);
			}
			await().atMost(WAIT).until(() -> recorder.count("done") == 1);
			assertThat(recorder.all("qos")).containsExactly(1);
			await().atMost(WAIT).until(() -> this.proxy.packetsFromClient(TcpProxy.PUBACK) == 1);
			assertThat(this.proxy.packetsFromClient(PUBREC)).isZero();
		});
	}

	/**
	 * Why MQTT 5 QoS 2 listeners are subscribed with QoS 1: with manual acknowledgements,
	 * Paho 1.2.5's MQTT 5 client sends PUBREC when the message arrives and PUBCOMP when
	 * the PUBREL arrives, while the callback has not returned yet; completing the message
	 * by hand afterwards sends a second PUBCOMP (paho.mqtt.java#994, #1054).
	 */
	@Test
	void mqtt5PahoAcknowledgesQos2BeforeTheCallbackReturnedAndTwiceWhenCompletedByHand() throws Exception {
		CountDownLatch arrived = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger messageId = new AtomicInteger();
		MqttAsyncClient client = new MqttAsyncClient(this.proxy.mqttUrl().replace("mqtt://", "tcp://"),
				ListenerTestSupport.clientId("paho5"), new MemoryPersistence());
		try {
			client.setManualAcks(true);
			client.setCallback(new BlockingCallback(arrived, release, messageId));
			MqttConnectionOptions options = new MqttConnectionOptions();
			client.connect(options).waitForCompletion(WAIT.toMillis());
			client.subscribe(this.prefix + "/paho", 2).waitForCompletion(WAIT.toMillis());
			try (MqttTestClient publisher = MqttTestClient.connect(HiveMqBroker.shared().tcpUrl())) {
				publisher.publish(this.prefix + "/paho", "early", 2, false);
			}
			assertThat(arrived.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
			// the callback is still blocked, yet both acknowledgements are on the wire
			await().atMost(WAIT)
				.until(() -> this.proxy.packetsFromClient(PUBREC) == 1 && this.proxy.packetsFromClient(PUBCOMP) == 1);
			assertThat(release.getCount()).isOne();
			release.countDown();
			client.messageArrivedComplete(messageId.get(), 2);
			await().atMost(WAIT).until(() -> this.proxy.packetsFromClient(PUBCOMP) == 2);
		}
		finally {
			release.countDown();
			try {
				client.disconnectForcibly(100, 100, false);
			}
			catch (MqttException ex) {
				// the broker may have closed the connection for the second PUBCOMP
			}
			client.close(true);
		}
	}

	private static void publishQos2(MosquittoBroker broker, int count) {
		try (MqttTestClient publisher = MqttTestClient.connect(broker.tcpUrl())) {
			for (int i = 0; i < count; i++) {
				publisher.publish(RESTART_TOPIC, "m" + i, 2, false);
			}
		}
	}

	private static void awaitOnePubcompPerMessage(TcpProxy proxy, int messages) {
		await("one PUBCOMP for each of " + messages + " messages").atMost(WAIT)
			.until(() -> proxy.packetsFromClient(PUBCOMP) == messages);
		await("no further PUBCOMP").during(QUIET).atMost(WAIT).until(() -> proxy.packetsFromClient(PUBCOMP) == messages);
	}

	static class Qos2Listener {

		private final Recorder recorder;

		private final Gate gate;

		Qos2Listener(Recorder recorder, Gate gate) {
			this.recorder = recorder;
			this.gate = gate;
		}

		@MqttListener(id = "exactlyOnce", topics = { "${test.prefix}/x", RESTART_TOPIC }, qos = 2)
		void onMessage(String payload, @Header(MqttHeaders.RECEIVED_QOS) int qos) {
			this.recorder.record("started", payload);
			this.recorder.record("qos", qos);
			this.gate.pass();
			this.recorder.record("done", payload);
		}

	}

	static class StuckListener {

		private final Recorder recorder;

		private final CountDownLatch stuck;

		StuckListener(Recorder recorder, CountDownLatch stuck) {
			this.recorder = recorder;
			this.stuck = stuck;
		}

		@MqttListener(id = "stuck", topics = "${test.prefix}/x", qos = 2)
		void onMessage(String payload) {
			this.recorder.record("started", payload);
			// deaf to the interrupt of the shutdown, as if the process had died here
			boolean interrupted = false;
			while (this.stuck.getCount() > 0) {
				try {
					this.stuck.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
			}
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}

	}

	private static final class BlockingCallback implements MqttCallback {

		private final CountDownLatch arrived;

		private final CountDownLatch release;

		private final AtomicInteger messageId;

		BlockingCallback(CountDownLatch arrived, CountDownLatch release, AtomicInteger messageId) {
			this.arrived = arrived;
			this.release = release;
			this.messageId = messageId;
		}

		@Override
		public void messageArrived(String topic, MqttMessage message) throws InterruptedException {
			this.messageId.set(message.getId());
			this.arrived.countDown();
			this.release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
		}

		@Override
		public void disconnected(MqttDisconnectResponse response) {
		}

		@Override
		public void mqttErrorOccurred(MqttException exception) {
		}

		@Override
		public void deliveryComplete(IMqttToken token) {
		}

		@Override
		public void connectComplete(boolean reconnect, String serverURI) {
		}

		@Override
		public void authPacketArrived(int reasonCode, MqttProperties properties) {
		}

	}

}
