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

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttAsyncClient;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttClientPersistence;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.integration.mqtt.core.Mqttv3ClientManager;
import org.springframework.util.Assert;

/**
 * Spring Integration {@link Mqttv3ClientManager} (MQTT 3.1.1 and 3.1) whose connection
 * schedule is owned by the starter, as {@link ReconnectingMqttv5ClientManager} does for
 * MQTT 5. MQTT 3.x has no reason codes on a server-side close, so a connection closed by
 * the broker is logged with a hint at client-id takeover.
 *
 * @author mqttboot
 */
public class ReconnectingMqttv3ClientManager extends Mqttv3ClientManager
		implements MqttConnectionStatus, DisposableBean {

	// Paho's SEVERE "Timed out as no activity" on a keep-alive timeout repeats the
	// starter's own WARN about the lost connection: lowered to FINE unless the
	// application set the level. Held here because java.util.logging keeps loggers only
	// weakly.
	private static final java.util.logging.Logger PAHO_CLIENT_STATE_LOGGER = PahoLogging
		.lowerKeepAliveTimeout(PahoLogging.unlessConfigured("org.eclipse.paho.client.mqttv3.internal.ClientState"));

	private final MqttConnectOptions options;

	private final MqttClientPersistence persistence;

	private final MqttProtocolVersion protocolVersion;

	private final ManagedConnection connection;

	private volatile @Nullable Supplier<MqttCredentials> credentials;

	private final MqttAsyncClient pahoClient;

	/**
	 * Create a new manager.
	 * @param options the connection options; Paho's own automatic reconnect is turned
	 * off, as this manager reconnects
	 * @param clientId the client identifier
	 * @param persistence the persistence of in-flight messages
	 * @param reconnect the reconnect settings
	 */
	public ReconnectingMqttv3ClientManager(MqttConnectOptions options, String clientId,
			MqttClientPersistence persistence, ReconnectSettings reconnect) {
		super(enableAutomaticReconnect(options), clientId);
		Assert.notNull(persistence, "'persistence' must not be null");
		options.setAutomaticReconnect(false);
		this.options = options;
		this.persistence = persistence;
		this.protocolVersion = (options.getMqttVersion() == MqttConnectOptions.MQTT_VERSION_3_1)
				? MqttProtocolVersion.V3_1 : MqttProtocolVersion.V3_1_1;
		this.connection = new ManagedConnection(clientId, options.getServerURIs(), this.protocolVersion, reconnect,
				new PahoClient(), this.lock, this.logger);
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

	// Keeps Spring Integration from logging that automatic reconnect is off: this
	// manager reconnects by itself.
	private static MqttConnectOptions enableAutomaticReconnect(MqttConnectOptions options) {
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
	public void connectionLost(Throwable cause) {
		// Before anything else: messages of this connection must not be acknowledged on
		// the next one.
		this.connection.notifyLost(cause,
				(cause instanceof MqttException mqttException) ? Integer.valueOf(mqttException.getReasonCode()) : null);
		String reason = this.connection.describe(cause);
		String hint = null;
		boolean closedByBroker = cause instanceof MqttException mqttException
				&& mqttException.getReasonCode() == MqttException.REASON_CODE_CONNECTION_LOST;
		if (closedByBroker) {
			hint = "The broker closed the connection: a broker restart does this, and so does another client "
					+ "connecting with the same client id (reported once connections keep being closed soon after "
					+ "they are accepted)";
		}
		this.connection.lost(new ConnectionSupervisor.Loss(reason, hint, closedByBroker, false));
	}

	@Override
	public String getServerUri() {
		return this.connection.getServerUri();
	}

	@Override
	public MqttProtocolVersion getProtocolVersion() {
		return this.protocolVersion;
	}

	@Override
	public @Nullable String getLastDisconnectReason() {
		return this.connection.getLastDisconnectReason();
	}

	@Override
	public @Nullable String getSuspectedTakeover() {
		return this.connection.getSuspectedTakeover();
	}

	private final class PahoClient implements ManagedConnection.PahoClient {

		private final StaleConnectThreads staleConnectThreads = new StaleConnectThreads(getClientId(), this::client);

		@Override
		public CompletableFuture<Boolean> connect() throws MqttException {
			// A connect thread of an earlier attempt would send its CONNECT on this
			// connection
			this.staleConnectThreads.release();
			CompletableFuture<Boolean> result = new CompletableFuture<>();
			Supplier<MqttCredentials> source = ReconnectingMqttv3ClientManager.this.credentials;
			if (source != null) {
				MqttCredentials credentials = source.get();
				MqttConnectOptions options = ReconnectingMqttv3ClientManager.this.options;
				if (credentials.username() != null) {
					options.setUserName(credentials.username());
				}
				if (credentials.password() != null) {
					options.setPassword(credentials.password().toCharArray());
				}
			}
			client().connect(ReconnectingMqttv3ClientManager.this.options, null, new IMqttActionListener() {

				@Override
				public void onSuccess(IMqttToken token) {
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
			client().disconnect(quiesceTimeout).waitForCompletion(getDisconnectCompletionTimeout());
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
			return reasonCode == MqttException.REASON_CODE_FAILED_AUTHENTICATION
					|| reasonCode == MqttException.REASON_CODE_NOT_AUTHORIZED;
		}

		private MqttAsyncClient client() {
			return ReconnectingMqttv3ClientManager.this.pahoClient;
		}

	}

}
