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
package io.mqttboot.connection;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.eclipse.paho.mqttv5.client.IMqttAsyncClient;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttClientPersistence;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.integration.mqtt.core.Mqttv5ClientManager;
import org.springframework.util.Assert;

/**
 * Spring Integration {@link Mqttv5ClientManager} whose connection schedule is owned by
 * the starter: it starts while the broker is down and keeps trying with the configured
 * back-off, bounds each attempt by the connect timeout, reconnects after a loss, logs a
 * client-id takeover (reason code 0x8E, or connections closed by the broker again and
 * again soon after CONNACK) once with the id, and shuts down with bounded waits,
 * sending a normal DISCONNECT so that the broker discards the will.
 *
 * @author mqttboot
 */
public class ReconnectingMqttv5ClientManager extends Mqttv5ClientManager
		implements MqttConnectionStatus, DisposableBean {

	private static final int SESSION_TAKEN_OVER = 0x8E;

	private static final int DEFAULT_RECEIVE_MAXIMUM = 65535;

	// Paho 1.2.5 logs every inbound QoS 2 message at INFO (trace 668), which costs about
	// a fifth of the QoS 2 throughput; quiet it unless the application set its level.
	// Held here because java.util.logging keeps loggers only weakly.
	// Its SEVERE "Timed out as no activity" on a keep-alive timeout repeats the
	// starter's own WARN about the lost connection: lowered to FINE.
	private static final Logger PAHO_CLIENT_STATE_LOGGER = quiet("org.eclipse.paho.mqttv5.client.internal.ClientState");

	private final MqttConnectionOptions options;

	private final MqttClientPersistence persistence;

	private final ManagedConnection connection;

	private volatile @Nullable Supplier<MqttCredentials> credentials;

	private volatile int serverReceiveMaximum = DEFAULT_RECEIVE_MAXIMUM;

	private volatile boolean subscriptionIdentifiersAvailable;

	private volatile BrokerLimits brokerLimits = BrokerLimits.unknown();

	private final List<Runnable> inflightLimitListeners = new CopyOnWriteArrayList<>();

	private final MqttAsyncClient pahoClient;

	/**
	 * Create a new manager.
	 * @param options the connection options; Paho's own automatic reconnect is turned
	 * off, as this manager reconnects
	 * @param clientId the client identifier
	 * @param persistence the persistence of in-flight messages
	 * @param reconnect the reconnect settings
	 */
	public ReconnectingMqttv5ClientManager(MqttConnectionOptions options, String clientId,
			MqttClientPersistence persistence, ReconnectSettings reconnect) {
		super(enableAutomaticReconnect(options), clientId);
		Assert.notNull(persistence, "'persistence' must not be null");
		options.setAutomaticReconnect(false);
		this.options = options;
		this.persistence = persistence;
		this.connection = new ManagedConnection(clientId, options.getServerURIs(), MqttProtocolVersion.V5,
				reconnect, new PahoClient(), this.lock, this.logger);
		this.pahoClient = createClient();
	}

	private MqttAsyncClient createClient() {
		try {
			MqttAsyncClient client = new MqttAsyncClient(getUrl(), getClientId(), this.persistence);
			client.setManualAcks(isManualAcks());
			client.setCallback(this);
			return client;
		}
		catch (MqttException ex) {
			throw new IllegalStateException("Could not create the MQTT client for client id '" + getClientId() + "'",
					ex);
		}
	}

	/**
	 * Return the Paho client. The client is created with the manager and never
	 * replaced, so unlike Spring Integration's managers this takes no lock: it is called
	 * for every message sent and acknowledged.
	 * @return the client
	 */
	@Override
	public IMqttAsyncClient getClient() {
		return this.pahoClient;
	}

	/**
	 * Set where the username and password come from: read before every connection
	 * attempt, so that rotated credentials (a fresh token, for example) are used from the
	 * next attempt on. A {@code null} username or password keeps the one of the
	 * connection options.
	 * @param credentials the source of the credentials, or {@code null} to always use
	 * those of the connection options
	 */
	public void setCredentials(@Nullable Supplier<MqttCredentials> credentials) {
		this.credentials = credentials;
	}

	@Override
	public int getDefaultMessageHandlerCount() {
		return getDefaultMessageHandlers().size();
	}

	@Override
	public void addConnectionListener(ConnectionListener listener) {
		this.connection.addListener(listener);
	}

	@Override
	public void addInflightLimitListener(Runnable listener) {
		this.inflightLimitListeners.add(listener);
	}

	@Override
	public boolean isConnected() {
		return this.pahoClient.isConnected();
	}

	@Override
	public void setManualAcks(boolean manualAcks) {
		super.setManualAcks(manualAcks);
		this.pahoClient.setManualAcks(manualAcks);
	}

	@Override
	public boolean isRunning() {
		return this.connection.isRunning();
	}

	private static Logger quiet(String name) {
		Logger logger = PahoLogging.unlessConfigured(name);
		if (logger == null) {
			return Logger.getLogger(name);
		}
		logger.setLevel(Level.WARNING);
		PahoLogging.lowerKeepAliveTimeout(logger);
		return logger;
	}

	// Keeps Spring Integration from logging that automatic reconnect is off: this
	// manager reconnects by itself.
	private static MqttConnectionOptions enableAutomaticReconnect(MqttConnectionOptions options) {
		options.setAutomaticReconnect(true);
		return options;
	}

	@Override
	public void start() {
		this.connection.start();
	}

	@Override
	public void stop() {
		this.connection.stop();
	}

	/**
	 * Stop, then close the Paho client and release its persistence. The manager cannot
	 * be started again.
	 */
	@Override
	public void destroy() {
		stop();
		this.connection.close();
	}

	@Override
	public void connectComplete(boolean reconnect, String serverURI) {
		super.connectComplete(this.connection.connected(serverURI), serverURI);
	}

	@Override
	public void disconnected(MqttDisconnectResponse response) {
		// Before anything else: messages of this connection must not be acknowledged on
		// the next one.
		MqttException exception = response.getException();
		this.connection.notifyLost(exception,
				(exception != null) ? Integer.valueOf(exception.getReasonCode()) : Integer.valueOf(response.getReturnCode()));
		String reason;
		if (response.getException() != null) {
			reason = this.connection.describe(response.getException());
		}
		else {
			reason = "DISCONNECT from the broker, reason code 0x" + Integer.toHexString(response.getReturnCode())
					+ ((response.getReasonString() != null) ? " (" + response.getReasonString() + ")" : "");
		}
		// A DISCONNECT with a reason code says why (0x8E is the takeover); only a close
		// without one may hide a takeover (Mosquitto closes the socket of MQTT 5 clients)
		boolean closedByBroker = exception != null
				&& exception.getReasonCode() == MqttClientException.REASON_CODE_CONNECTION_LOST;
		this.connection.lost(new ConnectionSupervisor.Loss(reason, null, closedByBroker,
				response.getReturnCode() == SESSION_TAKEN_OVER));
	}

	@Override
	public void mqttErrorOccurred(MqttException exception) {
		this.logger.warn("MQTT protocol error on client id '" + getClientId() + "': "
				+ this.connection.describe(exception));
	}

	@Override
	public String getServerUri() {
		return this.connection.getServerUri();
	}

	@Override
	public MqttProtocolVersion getProtocolVersion() {
		return MqttProtocolVersion.V5;
	}

	@Override
	public @Nullable String getLastDisconnectReason() {
		return this.connection.getLastDisconnectReason();
	}

	@Override
	public @Nullable String getSuspectedTakeover() {
		return this.connection.getSuspectedTakeover();
	}

	/**
	 * Return the Receive Maximum the server sent in its last CONNACK: how many QoS 1 and
	 * 2 publishes it accepts unacknowledged (65535 when it sent none or before the first
	 * connection).
	 * @return the server's Receive Maximum
	 */
	public int getServerReceiveMaximum() {
		return this.serverReceiveMaximum;
	}

	/**
	 * Return what the server announced in its last CONNACK.
	 * @return the broker's limits ({@link BrokerLimits#unknown()} before the first
	 * connection)
	 */
	@Override
	public BrokerLimits getBrokerLimits() {
		return this.brokerLimits;
	}

	/**
	 * Return whether the server said in its last CONNACK that it supports subscription
	 * identifiers ({@code false} before the first connection).
	 * @return whether subscription identifiers are available
	 */
	public boolean isSubscriptionIdentifiersAvailable() {
		return this.subscriptionIdentifiersAvailable;
	}

	// On Paho's callback thread, before the connection is reported complete: nothing
	// may escape.
	private void serverReceiveMaximum(int receiveMaximum) {
		if (receiveMaximum == this.serverReceiveMaximum) {
			return;
		}
		this.serverReceiveMaximum = receiveMaximum;
		for (Runnable listener : this.inflightLimitListeners) {
			try {
				listener.run();
			}
			catch (RuntimeException ex) {
				this.logger.warn("An in-flight limit listener of client id '" + getClientId() + "' failed", ex);
			}
		}
	}

	// Paho 1.2.5's defaults for absent properties are MQTT 5's: absent means unlimited
	// or available.
	private static BrokerLimits limits(@Nullable MqttProperties connack) {
		if (connack == null) {
			return new BrokerLimits(true, 2, true, null, DEFAULT_RECEIVE_MAXIMUM, 0, null, null, true, true, true);
		}
		Integer maximumQos = connack.getMaximumQoS();
		Boolean retainAvailable = connack.isRetainAvailable();
		Integer receiveMaximum = connack.getReceiveMaximum();
		Integer topicAliasMaximum = connack.getTopicAliasMaximum();
		return new BrokerLimits(true, (maximumQos != null) ? maximumQos : 2,
				retainAvailable == null || retainAvailable, connack.getMaximumPacketSize(),
				(receiveMaximum != null) ? receiveMaximum : DEFAULT_RECEIVE_MAXIMUM,
				(topicAliasMaximum != null) ? topicAliasMaximum : 0, connack.getServerKeepAlive(),
				connack.getAssignedClientIdentifier(), connack.isWildcardSubscriptionsAvailable(),
				connack.isSharedSubscriptionAvailable(), connack.isSubscriptionIdentifiersAvailable());
	}

	private final class PahoClient implements ManagedConnection.PahoClient {

		private final StaleConnectThreads staleConnectThreads = new StaleConnectThreads(getClientId(), this::client);

		@Override
		public CompletableFuture<Boolean> connect() throws MqttException {
			// A connect thread of an earlier attempt would send its CONNECT on this
			// connection
			this.staleConnectThreads.release();
			CompletableFuture<Boolean> result = new CompletableFuture<>();
			Supplier<MqttCredentials> source = ReconnectingMqttv5ClientManager.this.credentials;
			if (source != null) {
				MqttCredentials credentials = source.get();
				MqttConnectionOptions options = ReconnectingMqttv5ClientManager.this.options;
				if (credentials.username() != null) {
					options.setUserName(credentials.username());
				}
				if (credentials.password() != null) {
					options.setPassword(credentials.password().getBytes(StandardCharsets.UTF_8));
				}
			}
			client().connect(ReconnectingMqttv5ClientManager.this.options, null, new MqttActionListener() {

				@Override
				public void onSuccess(IMqttToken token) {
					// Before Paho reports the connection: no publish of it goes out yet
					OutgoingTopicAliases.disable(client());
					MqttProperties response = token.getResponseProperties();
					ReconnectingMqttv5ClientManager.this.brokerLimits = limits(response);
					Integer receiveMaximum = (response != null) ? response.getReceiveMaximum() : null;
					serverReceiveMaximum((receiveMaximum != null) ? receiveMaximum : DEFAULT_RECEIVE_MAXIMUM);
					ReconnectingMqttv5ClientManager.this.subscriptionIdentifiersAvailable = response == null
							|| response.isSubscriptionIdentifiersAvailable();
					result.complete(token.getSessionPresent());
				}

				@Override
				public void onFailure(IMqttToken token, Throwable ex) {
					result.completeExceptionally(ex);
				}

			});
			return result;
		}

		@Override
		public String getCurrentServerUri() {
			return client().getCurrentServerURI();
		}

		@Override
		public void disconnect(long quiesceTimeout) throws MqttException {
			client().disconnect(quiesceTimeout, null, null, 0, new MqttProperties())
				.waitForCompletion(getDisconnectCompletionTimeout());
		}

		@Override
		public void disconnectForcibly() throws MqttException {
			client().disconnectForcibly(0, 0, false);
		}

		@Override
		public void close() throws MqttException {
			client().close(true);
		}

		@Override
		public boolean isConnected() {
			return client().isConnected();
		}

		@Override
		public @Nullable Integer reasonCode(Throwable failure) {
			return (failure instanceof MqttException mqttException) ? mqttException.getReasonCode() : null;
		}

		@Override
		public boolean isAuthenticationFailure(int reasonCode) {
			// Bad user name or password, not authorized, bad authentication method
			return reasonCode == 0x86 || reasonCode == 0x87 || reasonCode == 0x8C;
		}

		private MqttAsyncClient client() {
			return ReconnectingMqttv5ClientManager.this.pahoClient;
		}

	}

}
