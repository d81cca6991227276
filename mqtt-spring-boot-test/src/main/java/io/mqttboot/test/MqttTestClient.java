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
package io.mqttboot.test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

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
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * An MQTT client for tests, independent of the application's connection: its own Paho
 * MQTT 5 client with its own client id, on the same broker. It plays "the other side":
 * it publishes what devices or other services would send, and records what the
 * application publishes.
 * <pre class="code">
 * MqttRecording alerts = mqtt.subscribe("alerts/#");
 * mqtt.publish("sensors/kitchen/temperature", new Reading(31.5));
 * assertThat(alerts.awaitMessage(Duration.ofSeconds(5)).payloadAsString()).contains("kitchen");
 * </pre>
 * {@link #publish(String, Object) publish} returns once the broker has acknowledged the
 * message, and {@link #subscribe(String...) subscribe} once the broker has granted the
 * subscriptions, so that a test needs no sleeps. Payloads: {@code byte[]} as is,
 * {@code String} as UTF-8, any other object as JSON.
 * <p>
 * In a test context with {@link EmbeddedMqttBroker @EmbeddedMqttBroker} or
 * {@link AutoConfigureMqttTestClient @AutoConfigureMqttTestClient} it is a bean, connected
 * to the broker of the context's connection and closed with the context; elsewhere
 * {@link #connect(String)} or {@link #builder()} make one, to be {@link #close() closed}
 * by the test.
 *
 * @author mqttboot
 */
public final class MqttTestClient implements AutoCloseable {

	/**
	 * The default bound of connect, publish, subscribe and disconnect, and of the waits
	 * of {@link MqttRecording} that take no timeout.
	 */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

	private static final int MAX_QOS = 2;

	private final MqttAsyncClient client;

	private final String serverUri;

	private final JsonMapper jsonMapper;

	private final Duration timeout;

	private final List<MqttRecording> recordings = new CopyOnWriteArrayList<>();

	private final Map<String, Integer> subscribedFilters = new HashMap<>();

	private MqttTestClient(MqttAsyncClient client, String serverUri, JsonMapper jsonMapper, Duration timeout) {
		this.client = client;
		this.serverUri = serverUri;
		this.jsonMapper = jsonMapper;
		this.timeout = timeout;
	}

	/**
	 * Connect anonymously to the broker at the given URL.
	 * @param url the broker URL, with the starter's schemes ({@code mqtt://},
	 * {@code mqtts://}, {@code ws://}, {@code wss://}) or Paho's ({@code tcp://},
	 * {@code ssl://})
	 * @return the connected client
	 * @throws IllegalStateException if it cannot connect within {@link #DEFAULT_TIMEOUT}
	 */
	public static MqttTestClient connect(String url) {
		return builder().url(url).connect();
	}

	/**
	 * Start building a client.
	 * @return a builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Return the URL of the broker, as Paho sees it ({@code tcp://host:port}, ...).
	 * @return the server URI
	 */
	public String getServerUri() {
		return this.serverUri;
	}

	/**
	 * Return the client id of this client.
	 * @return the client id
	 */
	public String getClientId() {
		return this.client.getClientId();
	}

	/**
	 * Return whether the client is connected.
	 * @return whether the client is connected
	 */
	public boolean isConnected() {
		return this.client.isConnected();
	}

	/**
	 * Publish a message with QoS 1, not retained, and wait until the broker has
	 * acknowledged it.
	 * @param topic the topic
	 * @param payload {@code byte[]} as is, {@code String} as UTF-8, other objects as JSON
	 */
	public void publish(String topic, Object payload) {
		publish(topic, payload, 1, false);
	}

	/**
	 * Publish a message and wait until the broker has acknowledged it (QoS 1 PUBACK, QoS 2
	 * PUBCOMP) or, for QoS 0, until it is written.
	 * @param topic the topic
	 * @param payload {@code byte[]} as is, {@code String} as UTF-8, other objects as JSON
	 * @param qos the QoS, 0 to 2
	 * @param retain whether the broker retains the message
	 */
	public void publish(String topic, Object payload, int qos, boolean retain) {
		publish(topic, payload, qos, retain, Map.of());
	}

	/**
	 * Publish a message with MQTT 5 user properties and wait until the broker has
	 * acknowledged it.
	 * @param topic the topic
	 * @param payload {@code byte[]} as is, {@code String} as UTF-8, other objects as JSON
	 * (with the content type {@code application/json})
	 * @param qos the QoS, 0 to 2
	 * @param retain whether the broker retains the message
	 * @param userProperties the user properties, in iteration order
	 */
	public void publish(String topic, Object payload, int qos, boolean retain, Map<String, String> userProperties) {
		Assert.hasText(topic, "'topic' must not be empty");
		Assert.isTrue(topic.indexOf('+') < 0 && topic.indexOf('#') < 0,
				() -> "'topic' must not contain wildcards: " + topic);
		Assert.isTrue(qos >= 0 && qos <= MAX_QOS, () -> "'qos' must be 0, 1 or 2, not " + qos);
		Assert.notNull(payload, "'payload' must not be null");
		MqttProperties properties = new MqttProperties();
		byte[] bytes;
		if (payload instanceof byte[] raw) {
			bytes = raw;
		}
		else if (payload instanceof String text) {
			bytes = text.getBytes(StandardCharsets.UTF_8);
		}
		else {
			bytes = this.jsonMapper.writeValueAsBytes(payload);
			properties.setContentType("application/json");
		}
		if (!userProperties.isEmpty()) {
			List<UserProperty> list = new ArrayList<>();
			userProperties.forEach((name, value) -> list.add(new UserProperty(name, value)));
			properties.setUserProperties(list);
		}
		MqttMessage message = new MqttMessage(bytes, qos, retain, properties);
		long deadline = System.nanoTime() + this.timeout.toNanos();
		while (true) {
			try {
				this.client.publish(topic, message).waitForCompletion(remainingMillis(deadline));
				return;
			}
			catch (MqttException ex) {
				// Paho frees an in-flight slot only after the previous publish's waiter
				// returned: retry briefly rather than fail with "too many publishes"
				if (ex.getReasonCode() != MqttClientException.REASON_CODE_MAX_INFLIGHT
						|| System.nanoTime() - deadline > 0) {
					throw new IllegalStateException("Publish to '" + topic + "' failed: " + ex, ex);
				}
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
			}
		}
	}

	/**
	 * Subscribe to topic filters with QoS 2 (so that messages arrive with the QoS they
	 * were published with) and record the messages on them. Returns once the broker has
	 * granted every subscription: retained messages, and every message published after
	 * this returned, are recorded.
	 * @param topicFilters the topic filters ({@code +} and {@code #} allowed)
	 * @return the recording of the messages on these filters
	 * @throws IllegalStateException if the broker refuses a subscription
	 */
	public MqttRecording subscribe(String... topicFilters) {
		return subscribe(MAX_QOS, topicFilters);
	}

	/**
	 * Subscribe to topic filters with the given maximum QoS and record the messages on
	 * them. Returns once the broker has granted every subscription.
	 * @param qos the maximum QoS of the subscriptions
	 * @param topicFilters the topic filters ({@code +} and {@code #} allowed)
	 * @return the recording of the messages on these filters
	 * @throws IllegalStateException if the broker refuses a subscription
	 */
	public MqttRecording subscribe(int qos, String... topicFilters) {
		Assert.notEmpty(topicFilters, "'topicFilters' must not be empty");
		Assert.noNullElements(topicFilters, "'topicFilters' must not contain null elements");
		Assert.isTrue(qos >= 0 && qos <= MAX_QOS, () -> "'qos' must be 0, 1 or 2, not " + qos);
		List<String> filters = List.of(topicFilters);
		MqttRecording recording = new MqttRecording(this, filters, this.timeout);
		// Record before the SUBSCRIBE leaves: retained messages may come before the SUBACK
		this.recordings.add(recording);
		MqttSubscription[] subscriptions = filters.stream()
			.map((filter) -> new MqttSubscription(filter, qos))
			.toArray(MqttSubscription[]::new);
		try {
			IMqttToken token = this.client.subscribe(subscriptions, null, null, new MqttProperties());
			token.waitForCompletion(this.timeout.toMillis());
			int[] codes = token.getReasonCodes();
			for (int i = 0; i < filters.size(); i++) {
				int code = (codes != null && codes.length > i) ? codes[i] : qos;
				if (code >= 0x80) {
					throw new IllegalStateException("The broker refused the subscription to '" + filters.get(i)
							+ "' (SUBACK reason code 0x" + Integer.toHexString(code) + ")");
				}
			}
		}
		catch (MqttException | RuntimeException ex) {
			this.recordings.remove(recording);
			throw (ex instanceof IllegalStateException ise) ? ise
					: new IllegalStateException("Subscribe to " + filters + " failed: " + ex, ex);
		}
		synchronized (this.subscribedFilters) {
			filters.forEach((filter) -> this.subscribedFilters.merge(filter, 1, Integer::sum));
		}
		return recording;
	}

	/**
	 * Stop a recording: unsubscribe its filters that no other open recording uses.
	 * @param recording the recording
	 */
	void close(MqttRecording recording) {
		if (!this.recordings.remove(recording)) {
			return;
		}
		List<String> unused = new ArrayList<>();
		synchronized (this.subscribedFilters) {
			for (String filter : recording.getTopicFilters()) {
				Integer count = this.subscribedFilters.computeIfPresent(filter, (f, n) -> (n > 1) ? n - 1 : null);
				if (count == null) {
					unused.add(filter);
				}
			}
		}
		if (!unused.isEmpty() && this.client.isConnected()) {
			try {
				this.client.unsubscribe(unused.toArray(String[]::new)).waitForCompletion(this.timeout.toMillis());
			}
			catch (MqttException ex) {
				throw new IllegalStateException("Unsubscribe from " + unused + " failed: " + ex, ex);
			}
		}
	}

	/**
	 * Disconnect (bounded by the timeout) and release the client. Open recordings keep
	 * the messages they received.
	 */
	@Override
	public void close() {
		this.recordings.clear();
		try {
			if (this.client.isConnected()) {
				this.client.disconnect(this.timeout.toMillis()).waitForCompletion(this.timeout.toMillis());
			}
		}
		catch (MqttException ex) {
			try {
				this.client.disconnectForcibly(0, 1000, false);
			}
			catch (MqttException ignored) {
				// closing anyway
			}
		}
		try {
			this.client.close(true);
		}
		catch (MqttException ex) {
			// released anyway
		}
	}

	private void messageArrived(String topic, MqttMessage message) {
		ReceivedMqttMessage received = new ReceivedMqttMessage(topic, message, this.jsonMapper);
		for (MqttRecording recording : this.recordings) {
			if (recording.matches(topic)) {
				recording.add(received);
			}
		}
	}

	private static long remainingMillis(long deadline) {
		return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
	}

	@Override
	public String toString() {
		return "MqttTestClient[" + getClientId() + " on " + this.serverUri + "]";
	}

	/**
	 * Turn a URL of the starter ({@code mqtt://}, {@code mqtts://}, {@code ws://},
	 * {@code wss://}, or Paho's {@code tcp://}, {@code ssl://}) into Paho's form, with the
	 * default port of the scheme and, for WebSocket, the path {@code /mqtt} when absent.
	 * @param url the URL
	 * @return the URL for Paho
	 */
	static String pahoUri(String url) {
		String trimmed = url.trim();
		int schemeEnd = trimmed.indexOf("://");
		Assert.isTrue(schemeEnd > 0, () -> "The MQTT URL has no scheme: " + url);
		String scheme = trimmed.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
		URI uri = URI.create(trimmed);
		Assert.isTrue(StringUtils.hasText(uri.getHost()), () -> "The MQTT URL has no host: " + url);
		String host = uri.getHost();
		return switch (scheme) {
			case "mqtt", "tcp" -> "tcp://" + host + ":" + port(uri, 1883);
			case "mqtts", "ssl" -> "ssl://" + host + ":" + port(uri, 8883);
			case "ws" -> "ws://" + host + ":" + port(uri, 8083) + path(uri);
			case "wss" -> "wss://" + host + ":" + port(uri, 8084) + path(uri);
			default -> throw new IllegalArgumentException("Unknown scheme '" + scheme + "' in the MQTT URL " + url
					+ "; use mqtt://, mqtts://, ws:// or wss://");
		};
	}

	private static int port(URI uri, int defaultPort) {
		return (uri.getPort() != -1) ? uri.getPort() : defaultPort;
	}

	private static String path(URI uri) {
		return StringUtils.hasLength(uri.getRawPath()) && !uri.getRawPath().equals("/") ? uri.getRawPath() : "/mqtt";
	}

	/**
	 * Builds a {@link MqttTestClient}: the broker URL (required), and optionally
	 * credentials, a socket factory for TLS, the client id, the JSON mapper and the
	 * timeout.
	 */
	public static final class Builder {

		private @Nullable String url;

		private @Nullable String username;

		private @Nullable String password;

		private @Nullable SocketFactory socketFactory;

		private @Nullable String clientId;

		private @Nullable JsonMapper jsonMapper;

		private Duration timeout = DEFAULT_TIMEOUT;

		private Builder() {
		}

		/**
		 * Set the broker URL.
		 * @param url the URL ({@code mqtt://host:port}, {@code mqtts://}, {@code ws://},
		 * {@code wss://}, {@code tcp://}, {@code ssl://})
		 * @return this builder
		 */
		public Builder url(String url) {
			this.url = url;
			return this;
		}

		/**
		 * Set the credentials.
		 * @param username the username, or {@code null}
		 * @param password the password, or {@code null}
		 * @return this builder
		 */
		public Builder credentials(@Nullable String username, @Nullable String password) {
			this.username = username;
			this.password = password;
			return this;
		}

		/**
		 * Set the socket factory of TLS connections.
		 * @param socketFactory the socket factory, or {@code null} for the JVM's default
		 * @return this builder
		 */
		public Builder socketFactory(@Nullable SocketFactory socketFactory) {
			this.socketFactory = socketFactory;
			return this;
		}

		/**
		 * Set the client id.
		 * @param clientId the client id, or {@code null} for a generated one
		 * ({@code mqtt-test-} and a random suffix)
		 * @return this builder
		 */
		public Builder clientId(@Nullable String clientId) {
			this.clientId = clientId;
			return this;
		}

		/**
		 * Set the JSON mapper of payloads that are neither {@code byte[]} nor
		 * {@code String}, and of {@link ReceivedMqttMessage#payload(Class)}.
		 * @param jsonMapper the mapper, or {@code null} for a default one
		 * @return this builder
		 */
		public Builder jsonMapper(@Nullable JsonMapper jsonMapper) {
			this.jsonMapper = jsonMapper;
			return this;
		}

		/**
		 * Set the bound of connect, publish, subscribe and disconnect, and of the waits of
		 * recordings that take no timeout.
		 * @param timeout the timeout, {@link #DEFAULT_TIMEOUT} by default
		 * @return this builder
		 */
		public Builder timeout(Duration timeout) {
			Assert.isTrue(!timeout.isNegative() && !timeout.isZero(), "'timeout' must be positive");
			this.timeout = timeout;
			return this;
		}

		/**
		 * Connect the client: MQTT 5, clean start, no automatic reconnect.
		 * @return the connected client
		 * @throws IllegalStateException if it cannot connect within the timeout
		 */
		public MqttTestClient connect() {
			Assert.state(this.url != null, "No broker URL given");
			String serverUri = pahoUri(this.url);
			String clientId = (this.clientId != null) ? this.clientId
					: "mqtt-test-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
			MqttAsyncClient client;
			try {
				client = new MqttAsyncClient(serverUri, clientId, new MemoryPersistence());
			}
			catch (MqttException ex) {
				throw new IllegalArgumentException("Invalid MQTT URL or client id: " + this.url + ", " + clientId, ex);
			}
			JsonMapper jsonMapper = (this.jsonMapper != null) ? this.jsonMapper : JsonMapper.shared();
			MqttTestClient testClient = new MqttTestClient(client, serverUri, jsonMapper, this.timeout);
			client.setCallback(testClient.new Callback());
			MqttConnectionOptions options = new MqttConnectionOptions();
			options.setCleanStart(true);
			options.setAutomaticReconnect(false);
			options.setConnectionTimeout((int) Math.max(1, this.timeout.toSeconds()));
			options.setKeepAliveInterval(30);
			if (this.username != null) {
				options.setUserName(this.username);
			}
			if (this.password != null) {
				options.setPassword(this.password.getBytes(StandardCharsets.UTF_8));
			}
			if (this.socketFactory != null) {
				options.setSocketFactory(this.socketFactory);
			}
			try {
				client.connect(options).waitForCompletion(this.timeout.toMillis());
			}
			catch (MqttException ex) {
				testClient.close();
				throw new IllegalStateException("The MQTT test client could not connect to " + serverUri + ": " + ex,
						ex);
			}
			return testClient;
		}

	}

	private final class Callback implements MqttCallback {

		@Override
		public void messageArrived(String topic, MqttMessage message) {
			MqttTestClient.this.messageArrived(topic, message);
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
