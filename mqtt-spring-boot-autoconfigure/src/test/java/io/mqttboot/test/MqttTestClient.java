package io.mqttboot.test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

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

	private static final Set<String> MQTT311_ONLY = ConcurrentHashMap.newKeySet();

	private final MqttAsyncClient client;

	private final org.eclipse.paho.client.mqttv3.MqttAsyncClient v3;

	private final List<Received> all = new ArrayList<>();

	private final List<Received> pending = new ArrayList<>();

	private MqttProperties connack;

	private MqttTestClient(MqttAsyncClient client) {
		this.client = client;
		this.v3 = null;
	}

	private MqttTestClient(org.eclipse.paho.client.mqttv3.MqttAsyncClient v3) {
		this.client = null;
		this.v3 = v3;
		this.connack = new MqttProperties();
	}

	/**
	 * Make the clients connect to {@code 127.0.0.1:port} over MQTT 3.1.1 (a broker without MQTT 5, like NATS):
	 * MQTT 5 properties are then neither sent nor received.
	 * @param port the broker's port on 127.0.0.1
	 */
	static void useMqtt311For(int port) {
		MQTT311_ONLY.add("127.0.0.1:" + port);
	}

	private static boolean isMqtt311Only(String url) {
		int scheme = url.indexOf("://");
		String authority = (scheme >= 0) ? url.substring(scheme + 3) : url;
		int slash = authority.indexOf('/');
		return MQTT311_ONLY.contains((slash >= 0) ? authority.substring(0, slash) : authority);
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
		if (isMqtt311Only(url)) {
			return connectV3(url, clientId, options);
		}
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

	private static MqttTestClient connectV3(String url, String clientId, MqttConnectionOptions options) {
		org.eclipse.paho.client.mqttv3.MqttAsyncClient client;
		try {
			client = new org.eclipse.paho.client.mqttv3.MqttAsyncClient(url, clientId,
					new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
		}
		catch (org.eclipse.paho.client.mqttv3.MqttException ex) {
			throw new IllegalArgumentException("Invalid MQTT URL or client id: " + url, ex);
		}
		MqttTestClient testClient = new MqttTestClient(client);
		client.setCallback(testClient.new V3Callback());
		org.eclipse.paho.client.mqttv3.MqttConnectOptions v3Options = new org.eclipse.paho.client.mqttv3.MqttConnectOptions();
		v3Options.setMqttVersion(org.eclipse.paho.client.mqttv3.MqttConnectOptions.MQTT_VERSION_3_1_1);
		v3Options.setCleanSession(options.isCleanStart());
		v3Options.setAutomaticReconnect(false);
		v3Options.setConnectionTimeout(options.getConnectionTimeout());
		v3Options.setKeepAliveInterval(options.getKeepAliveInterval());
		if (options.getUserName() != null) {
			v3Options.setUserName(options.getUserName());
		}
		if (options.getPassword() != null) {
			v3Options.setPassword(new String(options.getPassword(), StandardCharsets.UTF_8).toCharArray());
		}
		if (options.getSocketFactory() != null) {
			v3Options.setSocketFactory(options.getSocketFactory());
		}
		try {
			client.connect(v3Options).waitForCompletion(TIMEOUT.toMillis());
			return testClient;
		}
		catch (org.eclipse.paho.client.mqttv3.MqttException ex) {
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
		if (this.v3 != null) {
			try {
				org.eclipse.paho.client.mqttv3.IMqttToken token = this.v3.subscribe(topicFilter, qos);
				token.waitForCompletion(TIMEOUT.toMillis());
				int[] granted = token.getGrantedQos();
				if (granted != null && granted.length > 0 && granted[0] >= 0x80) {
					throw new IllegalStateException("Subscription to " + topicFilter + " rejected: " + granted[0]);
				}
				return this;
			}
			catch (org.eclipse.paho.client.mqttv3.MqttException ex) {
				throw new IllegalStateException("Failed to subscribe to " + topicFilter, ex);
			}
		}
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
			if (this.v3 != null) {
				try {
					this.v3.publish(topic, payload, qos, retain).waitForCompletion(TIMEOUT.toMillis());
					return true;
				}
				catch (org.eclipse.paho.client.mqttv3.MqttException ex) {
					if (ex.getReasonCode() == org.eclipse.paho.client.mqttv3.MqttException.REASON_CODE_MAX_INFLIGHT) {
						return false;
					}
					throw new IllegalStateException("Failed to publish to " + topic, ex);
				}
			}
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
		return (this.v3 != null) ? this.v3.isConnected() : this.client.isConnected();
	}

	/** The underlying Paho client for anything else (MQTT 5 only). */
	public MqttAsyncClient client() {
		if (this.client == null) {
			throw new IllegalStateException("An MQTT 3.1.1 test client has no MQTT 5 Paho client");
		}
		return this.client;
	}

	/**
	 * Disconnect (bounded) and release the client; never throws.
	 */
	@Override
	public void close() {
		if (this.v3 != null) {
			closeV3();
			return;
		}
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

	private void closeV3() {
		try {
			if (this.v3.isConnected()) {
				this.v3.disconnect(TIMEOUT.toMillis()).waitForCompletion(TIMEOUT.toMillis());
			}
		}
		catch (org.eclipse.paho.client.mqttv3.MqttException ex) {
			try {
				this.v3.disconnectForcibly(0, 1000, false);
			}
			catch (org.eclipse.paho.client.mqttv3.MqttException ignored) {
				// best effort
			}
		}
		try {
			this.v3.close(true);
		}
		catch (org.eclipse.paho.client.mqttv3.MqttException ex) {
			// best effort
		}
	}

	private void received(Received received) {
		synchronized (this.pending) {
			this.all.add(received);
			this.pending.add(received);
			this.pending.notifyAll();
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

	private final class V3Callback implements org.eclipse.paho.client.mqttv3.MqttCallback {

		@Override
		public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
			received(new Received(topic, message.getPayload(), message.getQos(), message.isRetained(),
					new MqttProperties()));
		}

		@Override
		public void connectionLost(Throwable cause) {
		}

		@Override
		public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
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
