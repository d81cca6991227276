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

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

/**
 * Owns the connect schedule of one client: the first connection (retried even when the
 * broker is down at startup, which Paho's automatic reconnect does not do), reconnection
 * after a loss with the configured back-off (Paho v5 ignores its minimum delay), and a
 * bound on each attempt (Paho does not time out a server that accepts the TCP connection
 * but never sends CONNACK).
 * <p>
 * The back-off starts again from the minimum delay only once a connection has stayed up
 * for the {@link ReconnectSettings#stablePeriod() stable period}; a connection lost
 * sooner continues it where it was. When the broker ends connections again and again
 * shortly after accepting them (or says so with MQTT 5 reason code 0x8E), another client
 * probably uses the same client id: that is logged once, at WARN level, and the
 * suspicion lasts until a connection outlives the
 * {@link ReconnectSettings#takeoverStablePeriod() longest wait of the other client}.
 *
 * @author mqttboot
 */
final class ConnectionSupervisor {

	private static final Log logger = LogFactory.getLog(ConnectionSupervisor.class);

	/**
	 * How many connections in a row the broker must close before their stable period
	 * for a takeover to be suspected: one is a broker restart, three a pattern.
	 */
	static final int TAKEOVER_CLOSURES = 3;

	private static final int MAX_SKIPPED_DELAYS = 32;

	private final String description;

	private final BackOff backOff;

	private final Duration maxDelay;

	private final Duration attemptTimeout;

	private final String timeoutReason;

	private final boolean reconnect;

	private final Connector connector;

	private final Object monitor = new Object();

	private @Nullable ScheduledExecutorService scheduler;

	private @Nullable ScheduledFuture<?> pending;

	private @Nullable CompletableFuture<?> attempt;

	private State state = State.IDLE;

	// Guarded by monitor; a new one after each successful connection.
	private BackOffExecution backOffExecution;

	private boolean failureLogged;

	private final Duration stablePeriod;

	private final Duration takeoverStablePeriod;

	// Guarded by monitor: connections lost before their stable period, in a row
	private int unstableLosses;

	// Guarded by monitor: of these, the ones the broker closed
	private int brokerClosures;

	private long connectedAt;

	private volatile @Nullable String takeoverReason;

	// Losses to a takeover since it is suspected
	private volatile int takeoverLosses;

	ConnectionSupervisor(String description, ReconnectSettings settings, int servers, Connector connector) {
		this.description = description;
		this.backOff = settings.backOff();
		this.backOffExecution = this.backOff.start();
		this.maxDelay = settings.maxDelay();
		this.attemptTimeout = settings.attemptTimeout(servers);
		this.timeoutReason = "no CONNACK within " + format(settings.connectTimeout()) + " (mqtt.connect-timeout"
				+ ((servers > 1) ? ", for each of " + servers + " servers" : "") + ")";
		this.reconnect = settings.enabled();
		this.connector = connector;
		this.stablePeriod = settings.stablePeriod();
		this.takeoverStablePeriod = settings.takeoverStablePeriod();
	}

	/**
	 * Return why a client-id takeover is suspected, while it is.
	 * @return the reason, or {@code null}
	 */
	@Nullable String takeoverReason() {
		return this.takeoverReason;
	}

	/**
	 * Return why a client-id takeover loop is suspected, while it is: a takeover that
	 * repeats (two takeovers in a row, or the broker closing three connections in a row
	 * soon after accepting them), not a single one, after which the connection is back.
	 * @return the reason, or {@code null}
	 */
	@Nullable String takeoverLoopReason() {
		String reason = this.takeoverReason;
		return (reason != null && (this.takeoverLosses >= 2 || this.brokerClosures >= TAKEOVER_CLOSURES)) ? reason
				: null;
	}

	void start() {
		synchronized (this.monitor) {
			if (this.state != State.IDLE && this.state != State.STOPPED) {
				return;
			}
			this.scheduler = Executors.newSingleThreadScheduledExecutor((runnable) -> {
				Thread thread = new Thread(runnable, "mqtt-connect");
				thread.setDaemon(true);
				return thread;
			});
			this.state = State.WAITING;
			this.failureLogged = false;
			this.backOffExecution = this.backOff.start();
			this.unstableLosses = 0;
			this.brokerClosures = 0;
			this.takeoverReason = null;
			this.takeoverLosses = 0;
			schedule(Duration.ZERO);
		}
	}

	void stop() {
		ScheduledExecutorService executor;
		synchronized (this.monitor) {
			this.state = State.STOPPED;
			if (this.pending != null) {
				this.pending.cancel(false);
				this.pending = null;
			}
			executor = this.scheduler;
			this.scheduler = null;
		}
		if (executor != null) {
			executor.shutdownNow();
			try {
				executor.awaitTermination(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/**
	 * Called when the connection is lost; schedules a reconnect if enabled.
	 * @param loss what ended the connection
	 */
	void connectionLost(Loss loss) {
		String suffix = (loss.hint() != null) ? ". " + loss.hint() : "";
		synchronized (this.monitor) {
			CompletableFuture<?> current = this.attempt;
			if (this.state == State.CONNECTING && current != null) {
				// Lost before the attempt reported success (Paho may drop its callback):
				// the attempt fails and is retried with the back-off.
				if (current.completeExceptionally(
						new IOException("connection lost while connecting: " + loss.reason()))) {
					return;
				}
				// The attempt succeeded but that was not seen yet (a broker that drops
				// the connection right after CONNACK): it was connected, and is lost.
				markConnected();
			}
			if (this.state != State.CONNECTED) {
				return;
			}
			boolean newTakeover = recordLoss(loss);
			if (!this.reconnect) {
				this.state = State.IDLE;
				logger.warn(this.description + " lost (" + loss.reason()
						+ "); not reconnecting because mqtt.automatic-reconnect is false"
						+ ((this.takeoverReason != null) ? ". " + takeoverAdvice() : suffix));
				return;
			}
			Duration delay = nextDelay();
			this.state = State.WAITING;
			if (newTakeover) {
				logger.warn(this.description + " " + this.takeoverReason + ". " + takeoverAdvice()
						+ " Reconnecting in " + format(delay) + " with a back-off that keeps growing until a "
						+ "connection stays up for " + format(this.takeoverStablePeriod)
						+ "; further losses are logged at DEBUG level.");
			}
			else if (this.takeoverReason != null) {
				if (logger.isDebugEnabled()) {
					logger.debug(this.description + " lost (" + loss.reason() + "); reconnecting in " + format(delay)
							+ " (" + this.takeoverReason + ")");
				}
			}
			else {
				logger.warn(this.description + " lost (" + loss.reason() + "); reconnecting in " + format(delay)
						+ suffix);
			}
			schedule(delay);
		}
	}

	// Called holding the monitor; returns whether a takeover is newly suspected.
	private boolean recordLoss(Loss loss) {
		long uptime = System.nanoTime() - this.connectedAt;
		Duration stable = (this.takeoverReason != null) ? this.takeoverStablePeriod : this.stablePeriod;
		if (uptime >= stable.toNanos()) {
			this.unstableLosses = 0;
			this.brokerClosures = 0;
			this.takeoverReason = null;
			this.takeoverLosses = 0;
			this.backOffExecution = this.backOff.start();
		}
		else {
			this.unstableLosses = Math.min(this.unstableLosses + 1, MAX_SKIPPED_DELAYS);
			if (loss.closedByBroker()) {
				this.brokerClosures++;
			}
		}
		String reason = null;
		if (loss.takenOver()) {
			reason = "taken over: the broker ended it (" + loss.reason() + ") because another client with the "
					+ "same client id connected";
		}
		else if (this.brokerClosures >= TAKEOVER_CLOSURES) {
			reason = "probably taken over: the broker closed " + this.brokerClosures + " connections in a row "
					+ "within " + format(this.stablePeriod) + " of accepting them, as it does when another client "
					+ "with the same client id connects (last: " + loss.reason() + ")";
		}
		if (reason == null) {
			return false;
		}
		boolean newTakeover = this.takeoverReason == null;
		this.takeoverReason = reason;
		this.takeoverLosses++;
		return newTakeover;
	}

	private static String takeoverAdvice() {
		return "Client ids must be unique per connection: check mqtt.client-id (mqtt.connections.<name>.client-id "
				+ "for a named connection) and that no other instance of the application uses the same one.";
	}

	private void schedule(Duration delay) {
		ScheduledExecutorService executor = this.scheduler;
		if (executor != null && !executor.isShutdown()) {
			this.pending = executor.schedule(this::attempt, delay.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	private void attempt() {
		synchronized (this.monitor) {
			if (this.state != State.WAITING) {
				return;
			}
			this.state = State.CONNECTING;
		}
		CompletableFuture<?> result;
		try {
			result = this.connector.connect();
		}
		catch (Exception ex) {
			failed(ex);
			return;
		}
		synchronized (this.monitor) {
			this.attempt = result;
		}
		ScheduledExecutorService executor = this.scheduler;
		ScheduledFuture<?> timeout = (executor != null && !this.attemptTimeout.isZero()) ? executor.schedule(() -> {
			if (result.completeExceptionally(new TimeoutException(this.timeoutReason))) {
				this.connector.abort();
			}
		}, this.attemptTimeout.toMillis(), TimeUnit.MILLISECONDS) : null;
		result.whenComplete((ignored, ex) -> {
			if (timeout != null) {
				timeout.cancel(false);
			}
			if (ex == null) {
				connected();
			}
			else {
				failed(ex);
			}
		});
	}

	private void connected() {
		synchronized (this.monitor) {
			this.attempt = null;
			if (this.state == State.CONNECTING) {
				markConnected();
			}
		}
	}

	// Called holding the monitor.
	private void markConnected() {
		this.attempt = null;
		this.state = State.CONNECTED;
		this.connectedAt = System.nanoTime();
		// After connections lost before their stable period, the next loss waits longer
		// than the last: the back-off goes on where it was.
		this.backOffExecution = this.backOff.start();
		for (int i = 0; i < this.unstableLosses; i++) {
			this.backOffExecution.nextBackOff();
		}
		this.failureLogged = false;
	}

	private void failed(Throwable ex) {
		// Outside the monitor: describing a failure may probe the server once (bounded)
		String failure = this.connector.describe(ex);
		synchronized (this.monitor) {
			this.attempt = null;
			if (this.state == State.STOPPED) {
				return;
			}
			this.state = State.WAITING;
			boolean authentication = this.connector.isAuthenticationFailure(ex);
			Duration delay = (authentication) ? this.maxDelay : nextDelay();
			this.connector.attemptFailed(ex, failure);
			String message = this.description + " failed: " + failure + "; retrying in " + format(delay);
			if (!this.failureLogged) {
				logger.warn(message + ((authentication) ? " (check mqtt.username and mqtt.password)" : "")
						+ ". Further failures are logged at DEBUG level until connected.");
				this.failureLogged = true;
			}
			else if (logger.isDebugEnabled()) {
				logger.debug(message);
			}
			schedule(delay);
		}
	}

	// Called holding the monitor: an execution is not thread-safe.
	private Duration nextDelay() {
		long millis = this.backOffExecution.nextBackOff();
		return (millis != BackOffExecution.STOP) ? Duration.ofMillis(millis) : this.maxDelay;
	}

	private static String format(Duration duration) {
		return (duration.toMillis() % 1000 == 0) ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
	}

	/**
	 * Version-specific connect and abort operations.
	 */
	interface Connector {

		/**
		 * Start one connection attempt.
		 * @return a future completed when the broker accepted or refused the connection
		 * @throws Exception if the attempt could not start
		 */
		CompletableFuture<?> connect() throws Exception;

		/**
		 * Abort an attempt that took too long.
		 */
		void abort();

		/**
		 * Record a failed attempt.
		 * @param ex the failure
		 * @param description its description, from {@link #describe(Throwable)}
		 */
		void attemptFailed(Throwable ex, String description);

		/**
		 * Describe a failure for a log line, without credentials, with its likely cause
		 * when it is a setting.
		 * @param ex the failure
		 * @return the description
		 */
		String describe(Throwable ex);

		/**
		 * Return whether the broker refused the credentials.
		 * @param ex the failure
		 * @return whether the failure is an authentication failure
		 */
		boolean isAuthenticationFailure(Throwable ex);

	}

	/**
	 * What ended a connection.
	 *
	 * @param reason why the connection was lost, for log lines and health
	 * @param hint what may have caused it, for the log line, or {@code null}
	 * @param closedByBroker whether the broker closed the connection without saying why
	 * (the end of the stream, no DISCONNECT with a reason code), rather than the network
	 * or a keep-alive timeout: as it does for a takeover on MQTT 3.x, and Mosquitto on
	 * MQTT 5 too
	 * @param takenOver whether the broker said that another connection with the same
	 * client id took over (MQTT 5 reason code 0x8E)
	 */
	record Loss(String reason, @Nullable String hint, boolean closedByBroker, boolean takenOver) {

	}

	private enum State {

		IDLE, WAITING, CONNECTING, CONNECTED, STOPPED

	}

}
