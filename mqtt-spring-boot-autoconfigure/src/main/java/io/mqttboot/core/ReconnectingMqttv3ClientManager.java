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

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
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

	private static final long QUIESCE_TIMEOUT = 2_000;

	private final MqttConnectOptions options;

	private final MqttClientPersistence persistence;

	private final MqttProtocolVersion protocolVersion;

	private final ConnectionSupervisor supervisor;

	private volatile String serverUri;

	private volatile @Nullable String lastDisconnectReason;

	private volatile boolean everConnected;

	private final MqttAsyncClient pahoClient;

	private volatile boolean running;

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
		this.serverUri = options.getServerURIs()[0];
		setPersistence(persistence);
		String description = "MQTT connection to " + String.join(",", options.getServerURIs()) + " (client id '"
				+ clientId + "')";
		this.supervisor = new ConnectionSupervisor(description, reconnect, options.getServerURIs().length,
				new Connector());
		this.pahoClient = createClient();
	}

	private MqttAsyncClient createClient() {
		try {
			MqttAsyncClient client = new MqttAsyncClient(getUrl(), getClientId(), this.persistence);
			client.setManualAcks(isManualAcks());
			client.setCallback(this);
			setClient(client);
			return client;
		}
		catch (MqttException ex) {
			throw new IllegalStateException("Could not create the MQTT client for client id '" + getClientId() + "'",
					ex);
		}
	}

	@Override
	public void setManualAcks(boolean manualAcks) {
		super.setManualAcks(manualAcks);
		this.pahoClient.setManualAcks(manualAcks);
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	// Keeps Spring Integration from logging that automatic reconnect is off: this
	// manager reconnects by itself.
	private static MqttConnectOptions enableAutomaticReconnect(MqttConnectOptions options) {
		options.setAutomaticReconnect(true);
		return options;
	}

	@Override
	public void start() {
		this.lock.lock();
		try {
			if (this.running) {
				return;
			}
			this.running = true;
			this.supervisor.start();
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public void stop() {
		this.lock.lock();
		try {
			if (!this.running) {
				return;
			}
			this.running = false;
			this.supervisor.stop();
			MqttAsyncClient client = this.pahoClient;
			try {
				if (client.isConnected()) {
					client.disconnect(QUIESCE_TIMEOUT).waitForCompletion(getDisconnectCompletionTimeout());
				}
			}
			catch (MqttException ex) {
				this.logger.debug("Normal disconnect of client id '" + getClientId() + "' failed", ex);
			}
			PahoConnectThread.awaitEnd(getClientId());
			try {
				client.disconnectForcibly(0, 0, false);
			}
			catch (MqttException ex) {
				// already disconnected
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Stop, then close the Paho client and release its persistence. The manager cannot
	 * be started again.
	 */
	@Override
	public void destroy() {
		stop();
		try {
			this.pahoClient.close(true);
		}
		catch (MqttException ex) {
			this.logger.debug("Could not close client id '" + getClientId() + "'", ex);
		}
	}

	@Override
	public void connectComplete(boolean reconnect, String serverURI) {
		this.serverUri = configuredUri(serverURI);
		this.lastDisconnectReason = null;
		boolean isReconnect = this.everConnected;
		this.everConnected = true;
		super.connectComplete(isReconnect, serverURI);
	}

	@Override
	public void connectionLost(Throwable cause) {
		String reason = describe(cause);
		String hint = null;
		if (cause instanceof MqttException mqttException
				&& mqttException.getReasonCode() == MqttException.REASON_CODE_CONNECTION_LOST) {
			hint = "The broker closed the connection of client id '" + getClientId()
					+ "': a broker restart does this, and so does another connection with the same client id "
					+ "(takeover); client ids must be unique per connection, check mqtt.client-id";
		}
		this.lastDisconnectReason = reason;
		this.supervisor.connectionLost(reason, hint);
	}

	// Paho reports a WebSocket URI without its path: report the configured URI instead
	private String configuredUri(String serverUri) {
		for (String uri : this.options.getServerURIs()) {
			if (uri.equals(serverUri) || uri.startsWith(serverUri + "/")) {
				return uri;
			}
		}
		return serverUri;
	}

	@Override
	public String getServerUri() {
		return this.serverUri;
	}

	@Override
	public MqttProtocolVersion getProtocolVersion() {
		return this.protocolVersion;
	}

	@Override
	public @Nullable String getLastDisconnectReason() {
		return this.lastDisconnectReason;
	}

	static String describe(Throwable ex) {
		Throwable failure = (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
		Integer reasonCode = (failure instanceof MqttException mqttException) ? mqttException.getReasonCode() : null;
		return ConnectionSupervisor.describe(failure, reasonCode);
	}

	private final class Connector implements ConnectionSupervisor.Connector {

		@Override
		public CompletableFuture<?> connect() throws MqttException {
			MqttAsyncClient client = ReconnectingMqttv3ClientManager.this.pahoClient;
			CompletableFuture<Boolean> result = new CompletableFuture<>();
			client.connect(ReconnectingMqttv3ClientManager.this.options, null, new IMqttActionListener() {

				@Override
				public void onSuccess(IMqttToken token) {
					ReconnectingMqttv3ClientManager.this.logger.info("Connected to " + client.getCurrentServerURI()
							+ " as client id '" + getClientId() + "' (MQTT " + getProtocolVersion()
							+ ", session present: " + token.getSessionPresent() + ")");
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
		public void abort() {
			PahoConnectThread.awaitEnd(getClientId());
			try {
				ReconnectingMqttv3ClientManager.this.pahoClient.disconnectForcibly(0, 0, false);
			}
			catch (MqttException ex) {
				// nothing left to abort
			}
		}

		@Override
		public void attemptFailed(Throwable ex) {
			ReconnectingMqttv3ClientManager.this.lastDisconnectReason = describe(ex);
		}

		@Override
		public String describe(Throwable ex) {
			return ReconnectingMqttv3ClientManager.describe(ex);
		}

		@Override
		public boolean isAuthenticationFailure(Throwable ex) {
			Throwable failure = (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
			if (failure instanceof MqttException mqttException) {
				int code = mqttException.getReasonCode();
				return code == MqttException.REASON_CODE_FAILED_AUTHENTICATION
						|| code == MqttException.REASON_CODE_NOT_AUTHORIZED;
			}
			return false;
		}

	}

}
