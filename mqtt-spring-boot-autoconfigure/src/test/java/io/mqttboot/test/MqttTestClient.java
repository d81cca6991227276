package io.mqttboot.test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import javax.net.SocketFactory;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

import static org.awaitility.Awaitility.await;

/**
 * A raw Paho MQTT v5 client for tests ("the other side"): publishes, subscribes and collects received messages.
 */
public final class MqttTestClient implements AutoCloseable {

	/** Default timeout for connect, subscribe, publish and disconnect. */
	public static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final MqttAsyncClient client;

	private final List<Received> all = new ArrayList<>();

	private final List<Received> pending = new ArrayList<>();

	private MqttProperties connack;

	private MqttTestClient(MqttAsyncClient client) {
		this.client = client;
	}

	/**
	 * Connect anonymously with a clean start.
	 * @param url e.g. {@code tcp://127.0.0.1:1883}, {@code ssl://...}, {@code ws://.../mqtt}, {@code wss://...}
	 * @return the connected client
	 */
	public static MqttTestClient connect(String url) {
		return connect(url, options());
	}

	/**
	 * Connect with a username and password.
	 * @param url the server URL
	 * @param username the username
	 * @param password the password
	 * @return the connected client
	 */
	public static MqttTestClient connect(String url, String username, String password) {
		MqttConnectionOptions options = options();
		options.setUserName(username);
		options.setPassword(password.getBytes(StandardCharsets.UTF_8));
		return connect(url, options);
	}

	/**
	 * Connect with the given socket factory, e.g. {@link TestCertificates#trustingSocketFactory()}.
	 * @param url the server URL ({@code ssl://} or {@code wss://})
	 * @param socketFactory the socket factory
	 * @return the connected client
	 */
	public static MqttTestClient connect(String url, SocketFactory socketFactory) {
		MqttConnectionOptions options = options();
		options.setSocketFactory(socketFactory);
		return connect(url, options);
	}

	/**
	 * Connect with full control over the options (start from {@link #options()}) and a random client id.
	 * @param url the server URL
	 * @param options the connection options
	 * @return the connected client
	 */
	public static MqttTestClient connect(String url, MqttConnectionOptions options) {
		return connect(url, "test-" + UUID.randomUUID().toString().substring(0, 8), options);
	}

	/**
	 * Connect with the given client id.
	 * @param url the server URL
	 * @param clientId the client id
	 * @param options the connection options
	 * @return the connected client
	 * @throws IllegalStateException with the {@link MqttException} as cause if the connection fails
	 */
	public static MqttTestClient connect(String url, String clientId, MqttConnectionOptions options) {
		MqttAsyncClient client;
		try {
			client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
		}
		catch (MqttException ex) {
			throw new IllegalArgumentException("Invalid MQTT URL or client id: " + url, ex);
		}
		MqttTestClient testClient = new MqttTestClient(client);
		client.setCallback(testClient.new Callback());
		try {
			IMqttToken token = client.connect(options);
			token.waitForCompletion(TIMEOUT.toMillis());
			testClient.connack = Objects.requireNonNullElseGet(token.getResponseProperties(), MqttProperties::new);
			return testClient;
		}
		catch (MqttException ex) {
			testClient.close();
			throw new IllegalStateException("Failed to connect to " + url + ": " + ex, ex);
		}
	}

	/**
	 * Defaults: clean start, no automatic reconnect, 10 s connection timeout.
	 * @return new options
	 */
	public static MqttConnectionOptions options() {
		MqttConnectionOptions options = new MqttConnectionOptions();
		options.setCleanStart(true);
		options.setAutomaticReconnect(false);
		options.setConnectionTimeout((int) TIMEOUT.toSeconds());
		options.setKeepAliveInterval(30);
		return options;
	}

	/**
	 * Subscribe and wait for the SUBACK; fails if the broker rejects the subscription.
	 * @param topicFilter the topic filter
	 * @param qos the requested QoS
	 * @return this client
	 */
	public MqttTestClient subscribe(String topicFilter, int qos) {
		try {
			IMqttToken token = this.client.subscribe(topicFilter, qos);
			token.waitForCompletion(TIMEOUT.toMillis());
			int[] codes = token.getReasonCodes();
			if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
				throw new IllegalStateException("Subscription to " + topicFilter + " rejected: reason code " + codes[0]);
			}
			return this;
		}
		catch (MqttException ex) {
			throw new IllegalStateException("Failed to subscribe to " + topicFilter, ex);
		}
	}

	/**
	 * Publish a UTF-8 payload and wait for completion (PUBACK/PUBCOMP for QoS 1/2).
	 * @param topic the topic
	 * @param payload the payload
	 * @param qos the QoS
	 * @param retain the retain flag
	 */
	public void publish(String topic, String payload, int qos, boolean retain) {
		publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retain, null);
	}

	/**
	 * Publish and wait for completion.
	 * @param topic the topic
	 * @param payload the payload
	 * @param qos the QoS
	 * @param retain the retain flag
	 * @param properties MQTT 5 properties (user properties, content type, ...) or {@code null}
	 */
	public void publish(String topic, byte[] payload, int qos, boolean retain, MqttProperties properties) {
		// Paho 1.2.5 frees the in-flight slot only after waitForCompletion returned, so a
		// publish right after another may get 32202: wait for the slot instead.
		await().atMost(TIMEOUT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).until(() -> {
			try {
				this.client.publish(topic, new MqttMessage(payload, qos, retain, properties))
					.waitForCompletion(TIMEOUT.toMillis());
				return true;
			}
			catch (MqttException ex) {
				if (ex.getReasonCode() == MqttClientException.REASON_CODE_MAX_INFLIGHT) {
					return false;
				}
				throw new IllegalStateException("Failed to publish to " + topic, ex);
			}
		});
	}

	/**
	 * Wait for the next not yet awaited message on exactly {@code topic} (or on any topic if {@code null}).
	 * @param topic the topic, or {@code null}
	 * @param timeout how long to wait
	 * @return the message, removed from the pending messages
	 * @throws AssertionError on timeout
	 */
	public Received awaitMessage(String topic, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.pending) {
			while (true) {
				Received message = takePending(topic);
				if (message != null) {
					return message;
				}
				long remainingMillis = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
				if (remainingMillis <= 0) {
					throw new AssertionError("No message on " + ((topic != null) ? topic : "any topic") + " within "
							+ timeout + "; received so far: " + messages());
				}
				waitOnPending(remainingMillis);
			}
		}
	}

	/**
	 * Assert that no (not yet awaited) message arrives on {@code topic} (any topic if {@code null}) during
	 * {@code duration}.
	 * @param topic the topic, or {@code null}
	 * @param duration how long to watch
	 */
	public void expectNoMessage(String topic, Duration duration) {
		long deadline = System.nanoTime() + duration.toNanos();
		synchronized (this.pending) {
			while (true) {
				Received message = takePending(topic);
				if (message != null) {
					throw new AssertionError("Unexpected message " + message);
				}
				long remainingMillis = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
				if (remainingMillis <= 0) {
					return;
				}
				waitOnPending(remainingMillis);
			}
		}
	}

	private Received takePending(String topic) {
		for (Iterator<Received> iterator = this.pending.iterator(); iterator.hasNext();) {
			Received message = iterator.next();
			if (topic == null || topic.equals(message.topic())) {
				iterator.remove();
				return message;
			}
		}
		return null;
	}

	private void waitOnPending(long millis) {
		try {
			this.pending.wait(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * All messages received so far (including awaited ones), in arrival order.
	 * @return a snapshot
	 */
	public List<Received> messages() {
		synchronized (this.pending) {
			return List.copyOf(this.all);
		}
	}

	/** Properties of the CONNACK (receive maximum, maximum QoS, assigned client id, ...). */
	public MqttProperties connackProperties() {
		return this.connack;
	}

	/** Whether the client is connected. */
	public boolean isConnected() {
		return this.client.isConnected();
	}

	/** The underlying Paho client for anything else. */
	public MqttAsyncClient client() {
		return this.client;
	}

	/**
	 * Disconnect (bounded) and release the client; never throws.
	 */
	@Override
	public void close() {
		try {
			if (this.client.isConnected()) {
				this.client.disconnect(TIMEOUT.toMillis()).waitForCompletion(TIMEOUT.toMillis());
			}
		}
		catch (MqttException ex) {
			try {
				this.client.disconnectForcibly(0, 1000, false);
			}
			catch (MqttException ignored) {
				// best effort
			}
		}
		try {
			this.client.close(true);
		}
		catch (MqttException ex) {
			// best effort
		}
	}

	/**
	 * A received message.
	 * @param topic the topic
	 * @param payload the payload
	 * @param qos the delivered QoS
	 * @param retained whether the retain flag was set
	 * @param properties the MQTT 5 properties
	 */
	public record Received(String topic, byte[] payload, int qos, boolean retained, MqttProperties properties) {

		/** The payload decoded as UTF-8. */
		public String payloadAsString() {
			return new String(this.payload, StandardCharsets.UTF_8);
		}

		@Override
		public String toString() {
			return "Received[" + this.topic + " qos=" + this.qos + " retained=" + this.retained + " '"
					+ payloadAsString() + "']";
		}

	}

	private final class Callback implements MqttCallback {

		@Override
		public void messageArrived(String topic, MqttMessage message) {
			Received received = new Received(topic, message.getPayload(), message.getQos(), message.isRetained(),
					Objects.requireNonNullElseGet(message.getProperties(), MqttProperties::new));
			synchronized (MqttTestClient.this.pending) {
				MqttTestClient.this.all.add(received);
				MqttTestClient.this.pending.add(received);
				MqttTestClient.this.pending.notifyAll();
			}
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
