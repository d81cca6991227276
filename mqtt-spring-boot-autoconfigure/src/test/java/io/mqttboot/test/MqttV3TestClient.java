package io.mqttboot.test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

import javax.net.SocketFactory;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import static org.awaitility.Awaitility.await;

/**
 * A raw Paho MQTT 3.1.1 client for tests: publishes, subscribes and collects received messages.
 */
public final class MqttV3TestClient implements AutoCloseable {

	/** Default timeout for connect, subscribe, publish and disconnect. */
	public static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final MqttAsyncClient client;

	private final List<Received> all = new ArrayList<>();

	private final List<Received> pending = new ArrayList<>();

	private MqttV3TestClient(MqttAsyncClient client) {
		this.client = client;
	}

	/**
	 * Connect anonymously with a clean session.
	 * @param url the server URL ({@code tcp://}, {@code ssl://}, {@code ws://}, {@code wss://})
	 * @return the connected client
	 */
	public static MqttV3TestClient connect(String url) {
		return connect(url, options());
	}

	/**
	 * Connect with a username and password.
	 * @param url the server URL
	 * @param username the username
	 * @param password the password
	 * @return the connected client
	 */
	public static MqttV3TestClient connect(String url, String username, String password) {
		MqttConnectOptions options = options();
		options.setUserName(username);
		options.setPassword(password.toCharArray());
		return connect(url, options);
	}

	/**
	 * Connect with the given socket factory (TLS).
	 * @param url the server URL
	 * @param socketFactory the socket factory
	 * @return the connected client
	 */
	public static MqttV3TestClient connect(String url, SocketFactory socketFactory) {
		MqttConnectOptions options = options();
		options.setSocketFactory(socketFactory);
		return connect(url, options);
	}

	/**
	 * Connect with full control over the options (start from {@link #options()}).
	 * @param url the server URL
	 * @param options the options
	 * @return the connected client
	 * @throws IllegalStateException with the {@link MqttException} as cause if the connection fails
	 */
	public static MqttV3TestClient connect(String url, MqttConnectOptions options) {
		MqttAsyncClient client;
		try {
			client = new MqttAsyncClient(url, "test3-" + UUID.randomUUID().toString().substring(0, 8),
					new MemoryPersistence());
		}
		catch (MqttException ex) {
			throw new IllegalArgumentException("Invalid MQTT URL: " + url, ex);
		}
		MqttV3TestClient testClient = new MqttV3TestClient(client);
		client.setCallback(testClient.new Callback());
		try {
			client.connect(options).waitForCompletion(TIMEOUT.toMillis());
			return testClient;
		}
		catch (MqttException ex) {
			testClient.close();
			throw new IllegalStateException("Failed to connect to " + url + ": " + ex, ex);
		}
	}

	/**
	 * Defaults: MQTT 3.1.1, clean session, no automatic reconnect, 10 s connection timeout.
	 * @return new options
	 */
	public static MqttConnectOptions options() {
		MqttConnectOptions options = new MqttConnectOptions();
		options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
		options.setCleanSession(true);
		options.setAutomaticReconnect(false);
		options.setConnectionTimeout((int) TIMEOUT.toSeconds());
		options.setKeepAliveInterval(30);
		return options;
	}

	/**
	 * Subscribe and wait for the SUBACK; fails if the broker rejects the subscription (granted QoS 0x80).
	 * @param topicFilter the topic filter
	 * @param qos the requested QoS
	 * @return this client
	 */
	public MqttV3TestClient subscribe(String topicFilter, int qos) {
		try {
			IMqttToken token = this.client.subscribe(topicFilter, qos);
			token.waitForCompletion(TIMEOUT.toMillis());
			int[] granted = token.getGrantedQos();
			if (granted != null && granted.length > 0 && granted[0] >= 0x80) {
				throw new IllegalStateException("Subscription to " + topicFilter + " rejected");
			}
			return this;
		}
		catch (MqttException ex) {
			throw new IllegalStateException("Failed to subscribe to " + topicFilter, ex);
		}
	}

	/**
	 * Publish a UTF-8 payload and wait for completion.
	 * @param topic the topic
	 * @param payload the payload
	 * @param qos the QoS
	 * @param retain the retain flag
	 */
	public void publish(String topic, String payload, int qos, boolean retain) {
		// Paho 1.2.5 frees the in-flight slot only after waitForCompletion returned, so a
		// publish right after another may get 32202: wait for the slot instead.
		await().atMost(TIMEOUT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).until(() -> {
			try {
				this.client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retain)
					.waitForCompletion(TIMEOUT.toMillis());
				return true;
			}
			catch (MqttException ex) {
				if (ex.getReasonCode() == MqttException.REASON_CODE_MAX_INFLIGHT) {
					return false;
				}
				throw new IllegalStateException("Failed to publish to " + topic, ex);
			}
		});
	}

	/**
	 * Wait for the next not yet awaited message on exactly {@code topic} (or any topic if {@code null}).
	 * @param topic the topic, or {@code null}
	 * @param timeout how long to wait
	 * @return the message
	 * @throws AssertionError on timeout
	 */
	public Received awaitMessage(String topic, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.pending) {
			while (true) {
				for (Iterator<Received> iterator = this.pending.iterator(); iterator.hasNext();) {
					Received message = iterator.next();
					if (topic == null || topic.equals(message.topic())) {
						iterator.remove();
						return message;
					}
				}
				long remainingMillis = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
				if (remainingMillis <= 0) {
					throw new AssertionError("No message on " + ((topic != null) ? topic : "any topic") + " within "
							+ timeout + "; received so far: " + this.all);
				}
				try {
					this.pending.wait(remainingMillis);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException(ex);
				}
			}
		}
	}

	/**
	 * All messages received so far, in arrival order.
	 * @return a snapshot
	 */
	public List<Received> messages() {
		synchronized (this.pending) {
			return List.copyOf(this.all);
		}
	}

	/** Whether the client is connected. */
	public boolean isConnected() {
		return this.client.isConnected();
	}

	/** The underlying Paho client. */
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
	 */
	public record Received(String topic, byte[] payload, int qos, boolean retained) {

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
			Received received = new Received(topic, message.getPayload(), message.getQos(), message.isRetained());
			synchronized (MqttV3TestClient.this.pending) {
				MqttV3TestClient.this.all.add(received);
				MqttV3TestClient.this.pending.add(received);
				MqttV3TestClient.this.pending.notifyAll();
			}
		}

		@Override
		public void connectionLost(Throwable cause) {
		}

		@Override
		public void deliveryComplete(IMqttDeliveryToken token) {
		}

	}

}
