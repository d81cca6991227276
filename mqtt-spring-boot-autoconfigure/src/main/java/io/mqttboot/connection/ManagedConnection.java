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

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Lock;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;

/**
 * The managed connection of a starter client manager, whichever its protocol version:
 * owns the {@link ConnectionSupervisor} (the connect schedule), the state that
 * {@link MqttConnectionStatus} reports, and the start, stop and close sequences. The
 * MQTT 5 and 3.x managers, which must extend different Spring Integration bases, drive
 * it with the operations of their Paho client ({@link PahoClient}) and report Paho's
 * callbacks to it.
 *
 * @author mqttboot
 */
final class ManagedConnection {

	private static final long QUIESCE_TIMEOUT = 2_000;

	private final String clientId;

	private final String[] serverUris;

	private final MqttProtocolVersion protocolVersion;

	private final PahoClient client;

	private final Lock lock;

	private final Log logger;

	private final ConnectionSupervisor supervisor;

	private final ConnectFailureDiagnosis diagnosis;

	private volatile String serverUri;

	private volatile @Nullable String lastDisconnectReason;

	private volatile boolean everConnected;

	private volatile boolean running;

	private volatile boolean sessionPresent;

	private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();

	/**
	 * Create a connection.
	 * @param clientId the client id
	 * @param serverUris the configured server URIs
	 * @param protocolVersion the protocol version
	 * @param reconnect the reconnect settings
	 * @param client the operations of the Paho client
	 * @param lock the lock of the client manager, held while starting and stopping
	 * @param logger the logger of the client manager
	 */
	ManagedConnection(String clientId, String[] serverUris, MqttProtocolVersion protocolVersion,
			ReconnectSettings reconnect, PahoClient client, Lock lock, Log logger) {
		this.clientId = clientId;
		this.serverUris = serverUris;
		this.protocolVersion = protocolVersion;
		this.client = client;
		this.lock = lock;
		this.logger = logger;
		this.serverUri = displayUri(serverUris[0]);
		String description = "MQTT connection to "
				+ Arrays.stream(serverUris).map(ManagedConnection::displayUri).collect(Collectors.joining(","))
				+ " (client id '" + clientId + "')";
		this.supervisor = new ConnectionSupervisor(description, reconnect, serverUris.length, new Connector());
		this.diagnosis = new ConnectFailureDiagnosis(serverUris, protocolVersion, client::reasonCode);
	}

	/**
	 * Start connecting, and reconnecting after every loss, unless running.
	 */
	void start() {
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

	/**
	 * Stop the connect schedule and disconnect: a normal DISCONNECT (so that the broker
	 * discards the will), then a forced one. Does nothing unless running.
	 */
	void stop() {
		this.lock.lock();
		try {
			if (!this.running) {
				return;
			}
			this.running = false;
			this.supervisor.stop();
			try {
				if (this.client.isConnected()) {
					this.client.disconnect(QUIESCE_TIMEOUT);
				}
			}
			catch (Exception ex) {
				this.logger.debug("Normal disconnect of client id '" + this.clientId + "' failed", ex);
			}
			disconnectForcibly();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Close the Paho client and release its persistence, once stopped.
	 */
	void close() {
		try {
			this.client.close();
		}
		catch (Exception ex) {
			this.logger.debug("Could not close client id '" + this.clientId + "'", ex);
		}
	}

	boolean isRunning() {
		return this.running;
	}

	/**
	 * Record that Paho connected, and tell the listeners.
	 * @param serverUri the server URI Paho reports
	 * @return whether this is a reconnection: {@code true} after the first connection,
	 * whatever Paho says
	 */
	boolean connected(String serverUri) {
		this.serverUri = configuredUri(serverUri);
		if (this.supervisor.takeoverReason() == null) {
			this.lastDisconnectReason = null;
		}
		boolean isReconnect = this.everConnected;
		this.everConnected = true;
		for (ConnectionListener listener : this.listeners) {
			try {
				listener.connected(this.serverUri, this.sessionPresent, isReconnect);
			}
			catch (RuntimeException ex) {
				this.logger.error("MQTT connection listener " + listener + " failed", ex);
			}
		}
		return isReconnect;
	}

	/**
	 * Add a listener told when the broker accepted a connection and first thing when it
	 * is lost.
	 * @param listener the listener
	 */
	void addListener(ConnectionListener listener) {
		this.listeners.add(listener);
	}

	/**
	 * Tell the listeners that the connection is lost: called by the client manager
	 * before anything else, so that messages of this connection are not acknowledged on
	 * the next one.
	 * @param cause the failure Paho reported, or {@code null}
	 * @param reasonCode the reason code, or {@code null}
	 */
	void notifyLost(@Nullable Throwable cause, @Nullable Integer reasonCode) {
		for (ConnectionListener listener : this.listeners) {
			try {
				listener.lost(cause, reasonCode);
			}
			catch (RuntimeException ex) {
				this.logger.error("MQTT connection listener " + listener + " failed", ex);
			}
		}
	}

	/**
	 * Record that the connection was lost, and reconnect if enabled.
	 * @param loss what ended the connection
	 */
	void lost(ConnectionSupervisor.Loss loss) {
		this.lastDisconnectReason = loss.reason();
		this.supervisor.connectionLost(loss);
		String takeover = this.supervisor.takeoverReason();
		if (takeover != null) {
			this.lastDisconnectReason = "client id '" + this.clientId + "' " + takeover;
		}
	}

	/**
	 * Describe a failure of the Paho client for a log line, without credentials.
	 * @param ex the failure
	 * @return the description
	 */
	String describe(Throwable ex) {
		return MqttFailures.describe(ex, this.client::reasonCode);
	}

	String getServerUri() {
		return this.serverUri;
	}

	@Nullable String getLastDisconnectReason() {
		return this.lastDisconnectReason;
	}

	@Nullable String getSuspectedTakeover() {
		String takeover = this.supervisor.takeoverLoopReason();
		return (takeover != null) ? "client id '" + this.clientId + "' " + takeover : null;
	}

	private void disconnectForcibly() {
		PahoConnectThread.awaitEnd(this.clientId);
		try {
			this.client.disconnectForcibly();
		}
		catch (Exception ex) {
			// already disconnected
		}
	}

	// Paho reports a WebSocket URI without its path: report the configured URI instead
	private String configuredUri(String serverUri) {
		for (String uri : this.serverUris) {
			if (uri.equals(serverUri) || uri.startsWith(serverUri + "/")) {
				return displayUri(uri);
			}
		}
		return displayUri(serverUri);
	}

	/**
	 * Return a server URI with the MQTT scheme names: Paho's {@code tcp://} and
	 * {@code ssl://} become {@code mqtt://} and {@code mqtts://}; WebSocket URIs are
	 * unchanged; a password in the URI is replaced by {@code ******}.
	 * @param pahoUri a server URI in Paho's form
	 * @return the URI with the MQTT scheme, without password
	 */
	static String displayUri(String pahoUri) {
		String serverUri = MqttFailures.redact(pahoUri);
		if (serverUri.startsWith("tcp://")) {
			return "mqtt://" + serverUri.substring(6);
		}
		if (serverUri.startsWith("ssl://")) {
			return "mqtts://" + serverUri.substring(6);
		}
		return serverUri;
	}

	/**
	 * The operations of one Paho client (MQTT 5 or 3.x) that the connection uses.
	 */
	interface PahoClient {

		/**
		 * Start connecting, without waiting.
		 * @return a future completed with whether the broker had a session, when it
		 * accepted the connection, or failed
		 * @throws Exception if the attempt could not start
		 */
		CompletableFuture<Boolean> connect() throws Exception;

		/**
		 * Return the URI of the server the client connected to.
		 * @return the server URI
		 */
		String getCurrentServerUri();

		/**
		 * Send a normal DISCONNECT and wait, bounded, for it to complete.
		 * @param quiesceTimeout how long in-flight work may take to finish, in
		 * milliseconds
		 * @throws Exception if the disconnect failed
		 */
		void disconnect(long quiesceTimeout) throws Exception;

		/**
		 * Close the network connection at once.
		 * @throws Exception if it failed (it was closed already)
		 */
		void disconnectForcibly() throws Exception;

		/**
		 * Close the client and release its persistence.
		 * @throws Exception if it failed
		 */
		void close() throws Exception;

		/**
		 * Return whether the client is connected.
		 * @return whether it is connected
		 */
		boolean isConnected();

		/**
		 * Return the MQTT or Paho reason code of a failure of this client.
		 * @param failure the failure
		 * @return the reason code, or {@code null}
		 */
		@Nullable Integer reasonCode(Throwable failure);

		/**
		 * Return whether a reason code means that the broker refused the credentials.
		 * @param reasonCode the reason code
		 * @return whether it is an authentication failure
		 */
		boolean isAuthenticationFailure(int reasonCode);

	}

	private final class Connector implements ConnectionSupervisor.Connector {

		@Override
		public CompletableFuture<?> connect() throws Exception {
			PahoClient client = ManagedConnection.this.client;
			return client.connect().thenApply((sessionPresent) -> {
				// Paho reports the connection (connectComplete) right after this
				ManagedConnection.this.sessionPresent = sessionPresent;
				ManagedConnection.this.diagnosis.connected();
				ManagedConnection.this.logger.info("Connected to " + configuredUri(client.getCurrentServerUri())
						+ " as client id '" + ManagedConnection.this.clientId + "' (MQTT "
						+ ManagedConnection.this.protocolVersion + ", session present: " + sessionPresent + ")");
				return sessionPresent;
			});
		}

		@Override
		public void abort() {
			disconnectForcibly();
		}

		@Override
		public void attemptFailed(Throwable ex, String description) {
			ManagedConnection.this.lastDisconnectReason = description;
			for (ConnectionListener listener : ManagedConnection.this.listeners) {
				try {
					listener.attemptFailed(description);
				}
				catch (RuntimeException failure) {
					ManagedConnection.this.logger.error("MQTT connection listener " + listener + " failed", failure);
				}
			}
		}

		@Override
		public String describe(Throwable ex) {
			String description = ManagedConnection.this.describe(ex);
			String hint = ManagedConnection.this.diagnosis.hint(ex);
			return (hint != null) ? description + ". " + hint : description;
		}

		@Override
		public boolean isAuthenticationFailure(Throwable ex) {
			Integer reasonCode = ManagedConnection.this.client.reasonCode(MqttFailures.unwrap(ex));
			return reasonCode != null && ManagedConnection.this.client.isAuthenticationFailure(reasonCode);
		}

	}

}
