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
package io.mqttboot.core;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.mqttboot.connection.MqttConnection;
import io.mqttboot.connection.MqttOutboundMessage;
import io.mqttboot.observation.DefaultMqttPublishObservationConvention;
import io.mqttboot.observation.MqttPublishObservation;
import io.mqttboot.observation.MqttPublishObservationContext;
import io.mqttboot.observation.MqttPublishObservationConvention;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.integration.mqtt.support.MqttHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.util.Assert;

/**
 * Publishes MQTT messages on one {@link MqttConnection} of the application, whichever
 * its protocol version.
 * <p>
 * Every {@code send} returns a {@link CompletableFuture} that completes when the broker
 * has acknowledged the message (QoS 1: PUBACK, QoS 2: PUBCOMP; QoS 0: once written to
 * the connection). It fails with an {@link IllegalArgumentException} before anything is
 * sent when the input is invalid (an empty topic or one with wildcards, a QoS outside 0
 * to 2, an MQTT 5 property on a 3.x connection), with a {@link MqttPublishException}
 * when the client is not connected, the connection is lost or the broker rejects the
 * message, and with a {@link TimeoutException} when nothing is acknowledged within the
 * {@link #setSendTimeout send timeout}.
 * <p>
 * Payloads: a {@code byte[]} is sent as is, a {@code String} as UTF-8, any other object
 * as the {@link #setMessageConverter message converter} writes it: by default as JSON
 * (with content type {@code application/json} on MQTT 5).
 * <p>
 * Back-pressure: at most {@link #setMaxInflight max-inflight} publishes (and, on MQTT 5,
 * no more than the Receive Maximum of the server) are in flight at once. A caller that
 * sends more waits for room, up to the send timeout, instead of getting Paho's "too many
 * publishes in progress". On the MQTT client's own callback thread (where Paho reports
 * the acknowledgements that free room) and where the template's timeouts and retries run
 * a send never blocks: it is queued until room frees.
 * <p>
 * Futures complete on the MQTT client's callback thread, on the JDK's delay thread of
 * {@link CompletableFuture#orTimeout} (timeouts), or on the calling thread (failures
 * found before sending): never block in their dependent stages (use the
 * {@code ...Async} variants to do slow work).
 * <p>
 * Observations: with an {@link #setObservationRegistry observation registry}, each send
 * is an {@code mqtt.publish} observation, from the send to its acknowledgement or
 * failure, buffered time included; with Micrometer Tracing, the trace context goes with
 * the message in its MQTT 5 user properties (not on MQTT 3.x, which has none).
 *
 * @author mqttboot
 */
public class MqttTemplate implements DisposableBean {

	/**
	 * The prefix of the default response topic of {@code sendAndReceive}, followed by the
	 * client id.
	 */
	public static final String RESPONSE_TOPIC_PREFIX = "mqttboot/replies/";

	private static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(30);

	private static final int DEFAULT_MAX_INFLIGHT = 100;

	private static final long DEFAULT_BUFFER_MAX_BYTES = 16 * 1024 * 1024;

	// Paho client reason code: the connection was lost
	private static final int CONNECTION_LOST = 32109;

	private static final String CALLBACK_THREAD_PREFIX = "MQTT Call: ";

	// Set while a timeout or a retry of a template runs on the JDK's delay thread, which
	// every CompletableFuture.orTimeout of the JVM shares: a send made there from a
	// dependent stage must not wait for a slot.
	private static final ThreadLocal<Boolean> onDelayThread = new ThreadLocal<>();

	// Runs a retry 5 ms later on the delay thread itself: the JDK's default async pool
	// is a new thread per task on 2 cores.
	private static final Executor retryExecutor = CompletableFuture.delayedExecutor(5, TimeUnit.MILLISECONDS,
			MqttTemplate::runOnDelayThread);

	private final MqttConnection connection;

	private final InflightWindow window;

	private final Object monitor = new Object();

	private volatile OutboundMessageMapper mapper;

	private volatile int defaultQos = 1;

	private volatile boolean defaultRetain;

	private volatile int maxInflight = DEFAULT_MAX_INFLIGHT;

	private volatile Duration sendTimeout = DEFAULT_SEND_TIMEOUT;

	private volatile @Nullable String responseTopic;

	private @Nullable ResponseCorrelator responseCorrelator;

	// Sends made while not connected, in the order they were made (sequence numbers), and
	// those whose publish the loss of the connection failed before it was acknowledged
	private final PriorityQueue<Publication> buffer = new PriorityQueue<>(
			Comparator.comparingLong((Publication publication) -> publication.sequence));

	private final AtomicLong sequence = new AtomicLong();

	private final Object drainLock = new Object();

	private long bufferedBytes;

	private volatile int bufferMaxMessages;

	private volatile long bufferMaxBytes = DEFAULT_BUFFER_MAX_BYTES;

	private volatile boolean destroyed;

	private volatile ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

	private volatile @Nullable MqttPublishObservationConvention observationConvention;

	/**
	 * Create a template publishing on the given connection.
	 * @param connection the connection
	 */
	public MqttTemplate(MqttConnection connection) {
		Assert.notNull(connection, "'connection' must not be null");
		this.connection = connection;
		this.window = new InflightWindow(() -> Math.min(this.maxInflight, this.connection.getInflightLimit()));
		connection.addInflightLimitListener(this.window::limitChanged);
		connection.addConnectedListener(this::drain);
		this.mapper = new OutboundMessageMapper(connection.getProtocolVersion(), MqttMessageConverters.create());
	}

	/**
	 * Set the QoS of {@link #send(String, Object)} and of messages without a
	 * {@link MqttHeaders#QOS} header. Default 1.
	 * @param defaultQos the QoS, 0 to 2
	 */
	public void setDefaultQos(int defaultQos) {
		OutboundMessageMapper.validateQos(defaultQos);
		this.defaultQos = defaultQos;
	}

	/**
	 * Set the retain flag of {@link #send(String, Object)} and of messages without a
	 * {@link MqttHeaders#RETAINED} header. Default {@code false}.
	 * @param defaultRetain the retain flag
	 */
	public void setDefaultRetain(boolean defaultRetain) {
		this.defaultRetain = defaultRetain;
	}

	/**
	 * Set how many publishes may be in flight (sent, not yet acknowledged) at once. On
	 * MQTT 5 the Receive Maximum of the server lowers it further. Default 100.
	 * @param maxInflight the maximum, at least 1
	 */
	public void setMaxInflight(int maxInflight) {
		Assert.isTrue(maxInflight > 0, "'maxInflight' must be at least 1");
		this.maxInflight = maxInflight;
		this.window.limitChanged();
	}

	/**
	 * Set how long a send may take, from the call to the acknowledgement, including any
	 * wait for room in the in-flight window. Default 30 seconds.
	 * @param sendTimeout the timeout, positive
	 */
	public void setSendTimeout(Duration sendTimeout) {
		Assert.isTrue(!sendTimeout.isNegative() && !sendTimeout.isZero(), "'sendTimeout' must be positive");
		this.sendTimeout = sendTimeout;
	}

	/**
	 * Set the buffer of sends made while the connection is down (before the first
	 * connection, during an outage): they wait there in order, their send timeout running,
	 * and go out in that order once the connection is up. A send that finds the buffer full
	 * fails at once with a {@link MqttPublishException}; one whose timeout passes fails
	 * with a {@link TimeoutException} and is never sent afterwards. A publish that the loss
	 * of the connection fails before its acknowledgement goes back to the buffer, in its
	 * place. The buffer is in memory only: its sends are lost if the application dies.
	 * Default: no buffer ({@code 0}), a send while not connected fails at once; the
	 * auto-configured template buffers 10,000 messages ({@code mqtt.template.buffer.*}).
	 * @param maxMessages the most sends that wait, {@code 0} for none
	 * @param maxBytes the most payload bytes that wait
	 */
	public void setBuffer(int maxMessages, long maxBytes) {
		Assert.isTrue(maxMessages >= 0, "'maxMessages' must not be negative");
		Assert.isTrue(maxBytes >= 0, "'maxBytes' must not be negative");
		this.bufferMaxMessages = maxMessages;
		this.bufferMaxBytes = maxBytes;
	}

	/**
	 * Set the registry of the {@code mqtt.publish} observations. Default
	 * {@link ObservationRegistry#NOOP}: no observation.
	 * @param observationRegistry the observation registry
	 */
	public void setObservationRegistry(ObservationRegistry observationRegistry) {
		Assert.notNull(observationRegistry, "'observationRegistry' must not be null");
		this.observationRegistry = observationRegistry;
	}

	/**
	 * Set the convention of the {@code mqtt.publish} observations, instead of the
	 * {@link DefaultMqttPublishObservationConvention default one}.
	 * @param observationConvention the convention, or {@code null} for the default one
	 */
	public void setObservationConvention(@Nullable MqttPublishObservationConvention observationConvention) {
		this.observationConvention = observationConvention;
	}

	/**
	 * Return how many sends wait in the buffer for the connection.
	 * @return the number of buffered sends
	 */
	public int getBufferedCount() {
		synchronized (this.buffer) {
			return this.buffer.size();
		}
	}

	/**
	 * Return how many publishes are in flight: sent or being sent, not yet acknowledged.
	 * @return the number of publishes in flight
	 */
	public int getInflightCount() {
		return this.window.used();
	}

	/**
	 * Set the converter that writes payload objects other than {@code byte[]} and
	 * {@code String} (its {@code toMessage} must produce a {@code byte[]} payload; on MQTT
	 * 5 the content type it sets is sent) and reads the typed responses of
	 * {@link #sendAndReceive(String, Object, Class, Duration)}. The auto-configured
	 * template uses the {@value MqttMessageConverters#BEAN_NAME} bean, the converter of
	 * the listeners too. Default: {@link MqttMessageConverters#create()}, JSON with
	 * Jackson 3 when it is on the class path (else only {@code byte[]} and
	 * {@code String} payloads can be sent).
	 * @param messageConverter the message converter
	 */
	public void setMessageConverter(MessageConverter messageConverter) {
		Assert.notNull(messageConverter, "'messageConverter' must not be null");
		this.mapper = new OutboundMessageMapper(this.connection.getProtocolVersion(), messageConverter);
	}

	/**
	 * Return the converter of payload objects and typed responses.
	 * @return the message converter
	 * @see #setMessageConverter(MessageConverter)
	 */
	public MessageConverter getMessageConverter() {
		return this.mapper.getConverter();
	}

	/**
	 * Set the topic on which {@code sendAndReceive} receives responses. Default
	 * {@value #RESPONSE_TOPIC_PREFIX} followed by the client id. Set it before the first
	 * {@code sendAndReceive}.
	 * @param responseTopic the response topic, a topic name without wildcards
	 */
	public void setResponseTopic(String responseTopic) {
		OutboundMessageMapper.validateTopic(responseTopic, "response topic");
		synchronized (this.monitor) {
			Assert.state(this.responseCorrelator == null,
					"The response topic cannot change after the first sendAndReceive");
			this.responseTopic = responseTopic;
		}
	}

	/**
	 * Return the topic on which {@code sendAndReceive} receives responses. The broker must
	 * let this client subscribe to it.
	 * @return the response topic
	 */
	public String getResponseTopic() {
		String topic = this.responseTopic;
		if (topic == null) {
			topic = RESPONSE_TOPIC_PREFIX + this.connection.getClientId().replace('+', '_').replace('#', '_');
			this.responseTopic = topic;
		}
		return topic;
	}

	/**
	 * Send a payload with the default QoS and retain flag.
	 * @param topic the topic name
	 * @param payload a {@code byte[]}, a {@code String} or an object for the message converter
	 * @return a future completed when the broker has acknowledged the message
	 */
	public CompletableFuture<Void> send(String topic, Object payload) {
		return send(topic, payload, this.defaultQos, this.defaultRetain);
	}

	/**
	 * Send a payload.
	 * @param topic the topic name
	 * @param payload a {@code byte[]}, a {@code String} or an object for the message converter
	 * @param qos the QoS, 0 to 2
	 * @param retain whether the broker retains the message for future subscribers
	 * @return a future completed when the broker has acknowledged the message
	 */
	public CompletableFuture<Void> send(String topic, Object payload, int qos, boolean retain) {
		try {
			Assert.notNull(topic, "'topic' must not be null");
			return publish(this.mapper.map(topic, payload, qos, retain));
		}
		catch (IllegalArgumentException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Send a Spring message. Headers, with Spring Integration's {@link MqttHeaders}
	 * names: {@link MqttHeaders#TOPIC} (required), {@link MqttHeaders#QOS},
	 * {@link MqttHeaders#RETAINED} and, MQTT 5 only,
	 * {@link MqttHeaders#MESSAGE_EXPIRY_INTERVAL} (seconds), {@link MqttHeaders#RESPONSE_TOPIC},
	 * {@link MqttHeaders#CORRELATION_DATA} and {@link MessageHeaders#CONTENT_TYPE}. On
	 * MQTT 5, every other header with a {@code String} value is sent as a user property,
	 * except Spring's {@code id}, {@code timestamp}, {@code replyChannel} and
	 * {@code errorChannel} and the {@code mqtt_} headers; on MQTT 3.x such headers are
	 * not sent.
	 * @param message the message
	 * @return a future completed when the broker has acknowledged the message
	 */
	public CompletableFuture<Void> send(Message<?> message) {
		try {
			Assert.notNull(message, "'message' must not be null");
			return publish(this.mapper.map(message, this.defaultQos, this.defaultRetain));
		}
		catch (IllegalArgumentException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Send a request and receive its response, MQTT 5 request/response: the request
	 * carries this client's {@link #getResponseTopic() response topic} and random
	 * correlation data; the responder publishes its response to that topic with the same
	 * correlation data.
	 * @param topic the topic name of the request
	 * @param payload a {@code byte[]}, a {@code String} or an object for the message converter
	 * @param timeout how long to wait for the response
	 * @return a future completed with the response (its payload and headers), failed
	 * with a {@link TimeoutException} if none arrives in time
	 */
	public CompletableFuture<Message<byte[]>> sendAndReceive(String topic, Object payload, Duration timeout) {
		try {
			Assert.notNull(topic, "'topic' must not be null");
			return request(this.mapper.map(topic, payload, this.defaultQos, false), timeout);
		}
		catch (IllegalArgumentException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Send a request and receive its response converted to the given type: a
	 * {@code byte[]}, a UTF-8 {@code String} or an object read by the
	 * {@link #setMessageConverter message converter} (by default from JSON). A response
	 * the converter cannot read fails the future with its
	 * {@link org.springframework.messaging.converter.MessageConversionException}; a type
	 * it does not convert, with an {@link IllegalArgumentException}.
	 * @param <T> the response type
	 * @param topic the topic name of the request
	 * @param payload a {@code byte[]}, a {@code String} or an object for the message converter
	 * @param responseType the response type
	 * @param timeout how long to wait for the response
	 * @return a future completed with the converted response
	 * @see #sendAndReceive(String, Object, Duration)
	 */
	public <T> CompletableFuture<T> sendAndReceive(String topic, Object payload, Class<T> responseType,
			Duration timeout) {
		OutboundMessageMapper mapper = this.mapper;
		return sendAndReceive(topic, payload, timeout).thenApply((response) -> mapper.read(response, responseType));
	}

	/**
	 * Send a request message and receive its response. The message has the headers of
	 * {@link #send(Message)}, except the response topic and correlation data, which this
	 * method sets.
	 * @param message the request
	 * @param timeout how long to wait for the response
	 * @return a future completed with the response, failed with a
	 * {@link TimeoutException} if none arrives in time
	 */
	public CompletableFuture<Message<byte[]>> sendAndReceive(Message<?> message, Duration timeout) {
		try {
			Assert.notNull(message, "'message' must not be null");
			MqttOutboundMessage request = this.mapper.map(message, this.defaultQos, this.defaultRetain);
			if (request.responseTopic() != null || request.correlationData() != null) {
				throw new IllegalArgumentException("sendAndReceive sets the response topic and correlation data "
						+ "itself: remove the '" + MqttHeaders.RESPONSE_TOPIC + "' and '"
						+ MqttHeaders.CORRELATION_DATA + "' headers, or use send(Message)");
			}
			return request(request, timeout);
		}
		catch (IllegalArgumentException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Stop receiving responses: pending {@code sendAndReceive} futures are cancelled.
	 */
	@Override
	public void destroy() {
		this.destroyed = true;
		synchronized (this.monitor) {
			if (this.responseCorrelator != null) {
				this.responseCorrelator.close();
			}
		}
		List<Publication> buffered;
		synchronized (this.buffer) {
			buffered = new ArrayList<>(this.buffer);
		}
		// Nothing is dropped silently: every buffered send fails its future
		buffered.forEach((publication) -> publication.finish(new MqttPublishException("The MqttTemplate was "
				+ "destroyed before the connection was up: nothing was published to '" + publication.topic + "'",
				MqttConnection.NOT_CONNECTED, null)));
	}

	/**
	 * Return the connection this template publishes on.
	 * @return the connection
	 */
	public MqttConnection getConnection() {
		return this.connection;
	}

	InflightWindow getInflightWindow() {
		return this.window;
	}

	int getPendingRequestCount() {
		synchronized (this.monitor) {
			return (this.responseCorrelator != null) ? this.responseCorrelator.pendingCount() : 0;
		}
	}

	private CompletableFuture<Void> publish(MqttOutboundMessage message) {
		ObservationRegistry registry = this.observationRegistry;
		if (registry.isNoop()) {
			return doPublish(message);
		}
		ObservedSend observed = observe(message, registry);
		return observed.publish(observed.message);
	}

	// Starts the observation of a send on the caller's thread (where the trace context
	// is), and writes what the propagator put in the carrier into the message: on MQTT 5
	// only, 3.x has no user properties
	private ObservedSend observe(MqttOutboundMessage message, ObservationRegistry registry) {
		MqttPublishObservationContext context = new MqttPublishObservationContext(this.connection.getName(),
				message.topic(), message.qos(), message.retain(), message.userProperties());
		Observation observation = MqttPublishObservation.PUBLISH.observation(this.observationConvention,
				DefaultMqttPublishObservationConvention.INSTANCE, () -> context, registry);
		observation.start();
		MqttOutboundMessage sent = message;
		Map<String, String> userProperties = context.getUserProperties();
		if (this.connection.getProtocolVersion().isV5() && !userProperties.equals(message.userProperties())) {
			sent = message.withUserProperties(userProperties);
		}
		return new ObservedSend(observation, sent);
	}

	private CompletableFuture<Void> doPublish(MqttOutboundMessage message) {
		boolean buffering = this.bufferMaxMessages > 0 && !this.destroyed;
		if (!this.connection.isConnected() && !buffering) {
			return CompletableFuture.failedFuture(notConnected(message.topic()));
		}
		Publication publication = new Publication(message, this.sendTimeout);
		if (buffering && (!this.connection.isConnected() || getBufferedCount() > 0 || this.window.hasDeferred())) {
			// Behind the sends that wait already (in the buffer, or for a slot after it),
			// so that they go out in order
			publication.startDeadline();
			if (!buffer(publication)) {
				publication.finish(new MqttPublishException("The send buffer is full (" + this.bufferMaxMessages
						+ " messages or " + this.bufferMaxBytes + " bytes, mqtt.template.buffer.*) while not connected "
						+ "to the MQTT broker: nothing was published to '" + message.topic() + "'",
						MqttConnection.NOT_CONNECTED, null));
			}
			else if (this.connection.isConnected()) {
				drain();
			}
			return publication.result;
		}
		publication.begin();
		return publication.result;
	}

	private boolean buffer(Publication publication) {
		int size = publication.size;
		synchronized (this.buffer) {
			if (this.buffer.size() >= this.bufferMaxMessages || this.bufferedBytes + size > this.bufferMaxBytes) {
				return false;
			}
			this.buffer.add(publication);
			this.bufferedBytes += size;
			publication.buffered = true;
			return true;
		}
	}

	private void unbuffer(Publication publication) {
		synchronized (this.buffer) {
			if (publication.buffered && this.buffer.remove(publication)) {
				this.bufferedBytes -= publication.size;
			}
			publication.buffered = false;
		}
	}

	// Hands the buffered sends to the in-flight window in order, without blocking: called
	// on Paho's callback thread when the connection is up, and by a send that buffered
	private void drain() {
		synchronized (this.drainLock) {
			while (this.connection.isConnected()) {
				Publication next;
				synchronized (this.buffer) {
					next = this.buffer.poll();
					if (next == null) {
						return;
					}
					this.bufferedBytes -= next.size;
					next.buffered = false;
				}
				if (!next.finished) {
					next.acquireOrDefer();
				}
			}
		}
	}

	private CompletableFuture<Message<byte[]>> request(MqttOutboundMessage request, Duration timeout) {
		Assert.isTrue(timeout != null && !timeout.isNegative() && !timeout.isZero(), "'timeout' must be positive");
		if (!this.connection.getProtocolVersion().isV5()) {
			throw new IllegalArgumentException("sendAndReceive needs MQTT 5 (response topic and correlation data); "
					+ "this connection uses MQTT " + this.connection.getProtocolVersion()
					+ ": set mqtt.protocol-version=5 if the broker supports it");
		}
		ObservationRegistry registry = this.observationRegistry;
		ObservedSend observed = registry.isNoop() ? null : observe(request, registry);
		if (!this.connection.isConnected()) {
			MqttPublishException failure = notConnected(request.topic());
			if (observed != null) {
				observed.finish(failure);
			}
			return CompletableFuture.failedFuture(failure);
		}
		MqttOutboundMessage message = (observed != null) ? observed.message : request;
		ResponseCorrelator correlator = responseCorrelator();
		byte[] correlationData = newCorrelationData();
		CompletableFuture<Message<byte[]>> response = correlator.expect(correlationData);
		CompletableFuture<Message<byte[]>> result = new CompletableFuture<>();
		response.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS).whenComplete((reply, ex) -> {
			correlator.forget(correlationData);
			if (ex == null) {
				result.complete(reply);
			}
			else if (ex instanceof TimeoutException && ex.getMessage() == null) {
				result.completeExceptionally(new TimeoutException("No response to the request on '" + request.topic()
						+ "' within " + timeout + " (response topic '" + correlator.getResponseTopic() + "')"));
			}
			else {
				result.completeExceptionally(ex);
			}
		});
		correlator.subscribed().thenCompose((qos) -> {
			MqttOutboundMessage withResponse = message.withResponse(correlator.getResponseTopic(), correlationData);
			return (observed != null) ? observed.publish(withResponse) : doPublish(withResponse);
		}).whenComplete((done, ex) -> {
			if (ex != null) {
				Throwable failure = (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
				if (observed != null) {
					// The subscription to the response topic failed: nothing was sent
					observed.finish(failure);
				}
				response.completeExceptionally(failure);
			}
		});
		return result;
	}

	private ResponseCorrelator responseCorrelator() {
		synchronized (this.monitor) {
			if (this.responseCorrelator == null) {
				this.responseCorrelator = new ResponseCorrelator(this.connection, getResponseTopic());
			}
			return this.responseCorrelator;
		}
	}

	private static byte[] newCorrelationData() {
		UUID uuid = UUID.randomUUID();
		return ByteBuffer.allocate(16)
			.putLong(uuid.getMostSignificantBits())
			.putLong(uuid.getLeastSignificantBits())
			.array();
	}

	private MqttPublishException notConnected(String topic) {
		String reason = this.connection.getLastDisconnectReason();
		return new MqttPublishException("Not connected to the MQTT broker (client id '" + this.connection.getClientId()
				+ "'), nothing was published to '" + topic + "'"
				+ ((reason != null) ? "; last disconnect: " + reason : ""), MqttConnection.NOT_CONNECTED, null);
	}

	// Paho's callback thread completes the publishes that free slots, and the delay thread
	// expires them: waiting there for a slot could wait for itself.
	private static boolean isConnectionLoss(int reasonCode) {
		return reasonCode == MqttConnection.NOT_CONNECTED || reasonCode == CONNECTION_LOST;
	}

	private static boolean mustNotBlock() {
		return Thread.currentThread().getName().startsWith(CALLBACK_THREAD_PREFIX) || onDelayThread.get() != null;
	}

	private static void runOnDelayThread(Runnable task) {
		if (onDelayThread.get() != null) {
			task.run();
			return;
		}
		onDelayThread.set(Boolean.TRUE);
		try {
			task.run();
		}
		finally {
			onDelayThread.remove();
		}
	}

	/**
	 * The {@code mqtt.publish} observation of one send, started, and the message to send
	 * (with the trace context, if any); stopped once, when the send ends.
	 */
	private final class ObservedSend implements BiConsumer<@Nullable Void, @Nullable Throwable> {

		private final Observation observation;

		private final MqttOutboundMessage message;

		private final AtomicBoolean finished = new AtomicBoolean();

		ObservedSend(Observation observation, MqttOutboundMessage message) {
			this.observation = observation;
			this.message = message;
		}

		CompletableFuture<Void> publish(MqttOutboundMessage message) {
			CompletableFuture<Void> result;
			try {
				result = doPublish(message);
			}
			catch (RuntimeException | Error ex) {
				finish(ex);
				throw ex;
			}
			result.whenComplete(this);
			return result;
		}

		@Override
		public void accept(@Nullable Void ignored, @Nullable Throwable ex) {
			finish((ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex);
		}

		void finish(@Nullable Throwable failure) {
			if (this.finished.compareAndSet(false, true)) {
				if (failure != null) {
					this.observation.error(failure);
				}
				this.observation.stop();
			}
		}

	}

	/**
	 * One send: waits for a slot in the in-flight window, publishes, retries while
	 * another publisher on the client filled Paho's window, and completes its future
	 * when the broker acknowledged the message, the publish failed or the send timeout
	 * passed, whichever comes first, freeing its slot exactly once. It is its own
	 * publish callback; the send timeout is {@link CompletableFuture#orTimeout} on a
	 * future of its own, which the end of the send completes (that cancels the JDK's
	 * timer task, so nothing keeps a finished send until its deadline).
	 */
	private final class Publication
			implements Runnable, MqttConnection.PublishCallback, BiConsumer<@Nullable Void, @Nullable Throwable> {

		private final String topic;

		private final Duration timeout;

		private final CompletableFuture<Void> result = new CompletableFuture<>();

		// Completed when the send ends, or failed by orTimeout at the deadline.
		private final CompletableFuture<Void> deadline = new CompletableFuture<>();

		private final AtomicBoolean holdingSlot = new AtomicBoolean();

		// Dropped once done, so that a retry or a dependent stage does not keep the payload.
		private volatile @Nullable MqttOutboundMessage message;

		private volatile boolean deferred;

		private volatile boolean started;

		private volatile boolean finished;

		private final long sequence = MqttTemplate.this.sequence.incrementAndGet();

		// The number of the latest attempt to publish
		private final AtomicInteger attempts = new AtomicInteger();

		// Lost with the connection, to be sent again by the client's session
		private volatile boolean awaitingSessionResend;

		private final int size;

		// Guarded by the buffer
		private boolean buffered;

		private volatile boolean wasBuffered;

		Publication(MqttOutboundMessage message, Duration timeout) {
			this.topic = message.topic();
			this.message = message;
			this.timeout = timeout;
			this.size = message.payload().length;
		}

		void startDeadline() {
			this.wasBuffered = true;
			this.deadline.orTimeout(this.timeout.toNanos(), TimeUnit.NANOSECONDS).whenComplete(this);
		}

		// Never blocks: the window runs it when a slot frees
		void acquireOrDefer() {
			// Set first: a timeout that comes before acquireOrDefer returns must cancel.
			this.deferred = true;
			if (MqttTemplate.this.window.acquireOrDefer(this)) {
				run();
			}
		}

		void begin() {
			this.deadline.orTimeout(this.timeout.toNanos(), TimeUnit.NANOSECONDS).whenComplete(this);
			InflightWindow window = MqttTemplate.this.window;
			if (mustNotBlock()) {
				acquireOrDefer();
				return;
			}
			try {
				if (window.acquire(this.timeout.toNanos())) {
					run();
				}
				else {
					finish(new TimeoutException("No room in the in-flight window (limit " + window.limit() + ") within "
							+ this.timeout + " to publish to '" + this.topic + "'"));
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				finish(new MqttPublishException("Interrupted while waiting for room in the in-flight window to "
						+ "publish to '" + this.topic + "'", MqttPublishException.NO_REASON_CODE, ex));
			}
		}

		@Override
		public void run() {
			// Set before looking at 'finished', which finish() sets before it looks at
			// the slot: one of the two releases it.
			this.holdingSlot.set(true);
			if (this.finished) {
				releaseSlot();
				return;
			}
			this.started = true;
			attempt();
		}

		private void attempt() {
			MqttOutboundMessage message = this.message;
			if (message != null) {
				MqttTemplate.this.connection.publish(message, new Attempt(this.attempts.incrementAndGet()));
			}
		}

		/**
		 * The callback of one attempt to publish. Paho keeps the token of a QoS 1 or 2
		 * publish of a persistent session after a connection loss, fails it again at each
		 * failed connection attempt, and completes it when the session sent it again and
		 * the broker acknowledged it. Once the send is buffered or sent again, a failure of
		 * an earlier attempt is none of the send's business (without this, each failed
		 * connection attempt buffered it once more, or failed a send that was delivered);
		 * its success still is: the broker has the message.
		 */
		private final class Attempt implements MqttConnection.PublishCallback {

			private final int number;

			Attempt(int number) {
				this.number = number;
			}

			@Override
			public void published() {
				Publication.this.published();
			}

			@Override
			public void failed(String description, int reasonCode, @Nullable Throwable cause) {
				if (reasonCode == MqttConnection.POISONED) {
					// Never sent again, by this template nor by the session
					Publication.this.finish(new MqttPublishException(description, reasonCode, cause));
				}
				else if (this.number == Publication.this.attempts.get() && !Publication.this.awaitingSessionResend) {
					Publication.this.failed(description, reasonCode, cause);
				}
			}

		}

		@Override
		public void published() {
			finish(null);
		}

		@Override
		public void failed(String description, int reasonCode, @Nullable Throwable cause) {
			if (reasonCode == MqttConnection.MAX_INFLIGHT && !this.result.isDone()) {
				// Another publisher on the same client filled Paho's window: try again
				// shortly, until the send timeout
				retryExecutor.execute(this::attempt);
			}
			else if (reasonCode == CONNECTION_LOST && awaitSessionResend()) {
				// In the client's session: it sends it again on the next connection
			}
			else if (isConnectionLoss(reasonCode) && rebuffer()) {
				// Sent again once the connection is back, in its place
			}
			else if (cause instanceof IllegalArgumentException overLimit) {
				// Over a limit the broker announced: nothing was sent
				finish(overLimit);
			}
			else {
				finish(new MqttPublishException(description, reasonCode, cause));
			}
		}

		// The deadline future completed: at the end of the send, or at the deadline on
		// the delay thread.
		@Override
		public void accept(@Nullable Void ignored, @Nullable Throwable ex) {
			if (ex instanceof TimeoutException) {
				runOnDelayThread(this::expire);
			}
		}

		// The connection went away under a QoS 1 or 2 publish that the client keeps in its
		// persistent session: the client sends it again itself, first thing on the next
		// connection and in order, and completes its token when the broker acknowledged it.
		// Buffering it as well would send it twice. Until then, the token fails again at
		// each failed connection attempt: those failures are ignored; the send timeout
		// still applies.
		private boolean awaitSessionResend() {
			MqttOutboundMessage message = this.message;
			if (message == null || message.qos() == 0 || this.finished
					|| !MqttTemplate.this.connection.isSessionPersistent()) {
				return false;
			}
			this.awaitingSessionResend = true;
			return true;
		}

		// The connection went away under the publish: back to the buffer, unless there is
		// none, the send is done, or the template is destroyed
		private boolean rebuffer() {
			if (MqttTemplate.this.bufferMaxMessages == 0 || MqttTemplate.this.destroyed || this.finished) {
				return false;
			}
			this.wasBuffered = true;
			this.started = false;
			// From now on, the earlier attempts' failures are late ones
			this.attempts.incrementAndGet();
			if (this.deferred) {
				MqttTemplate.this.window.cancel(this);
				this.deferred = false;
			}
			releaseSlot();
			// Drained on the next connection, or by the next send
			return buffer(this);
		}

		private void expire() {
			if (this.wasBuffered && !this.started) {
				finish(new TimeoutException("Not connected to the MQTT broker within " + this.timeout
						+ ": the buffered send to '" + this.topic + "' was not published and will not be"));
				return;
			}
			finish(new TimeoutException((this.started)
					? "No acknowledgement of the publish to '" + this.topic + "' within " + this.timeout
					: "No room in the in-flight window within " + this.timeout + " to publish to '" + this.topic
							+ "'"));
		}

		// May run more than once (acknowledgement and timeout race): every step is
		// idempotent. The slot is freed before the future completes, so that a dependent
		// stage that sends again finds room.
		private void finish(@Nullable Throwable failure) {
			this.finished = true;
			unbuffer(this);
			this.message = null;
			releaseSlot();
			if (this.deferred) {
				MqttTemplate.this.window.cancel(this);
			}
			this.deadline.complete(null);
			if (failure == null) {
				this.result.complete(null);
			}
			else {
				this.result.completeExceptionally(failure);
			}
		}

		private void releaseSlot() {
			if (this.holdingSlot.compareAndSet(true, false)) {
				MqttTemplate.this.window.release();
			}
		}

	}

}
