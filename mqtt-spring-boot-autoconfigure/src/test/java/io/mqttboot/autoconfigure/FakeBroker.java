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
package io.mqttboot.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;

/**
 * A TCP server that is not a working broker, for tests of what the client does when
 * the other side misbehaves: {@link Mode#SILENT} accepts connections, reads what the
 * client sends and never answers (a load balancer without a backend does this: no
 * CONNACK ever comes); {@link Mode#HANG_UP} closes every connection as soon as the
 * client sent its first byte; the other modes answer the first packet (the CONNECT) as a broker that does
 * not speak the client's protocol version would. Records when each connection was accepted and when the client closed it.
 *
 * @author mqttboot
 */
final class FakeBroker implements AutoCloseable {

	private final ServerSocket server;

	private final Mode mode;

	private final List<Connection> connections = new CopyOnWriteArrayList<>();

	private volatile boolean closed;

	private FakeBroker(Mode mode) throws IOException {
		this.mode = mode;
		this.server = new ServerSocket();
		this.server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
		Thread acceptor = new Thread(this::acceptLoop, "fake-broker-" + this.server.getLocalPort());
		acceptor.setDaemon(true);
		acceptor.start();
	}

	static FakeBroker start(Mode mode) {
		try {
			return new FakeBroker(mode);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	String mqttUrl() {
		return "mqtt://127.0.0.1:" + this.server.getLocalPort();
	}

	/**
	 * Return the connections accepted so far, oldest first.
	 * @return the connections
	 */
	List<Connection> connections() {
		return List.copyOf(this.connections);
	}

	@Override
	public void close() {
		this.closed = true;
		try {
			this.server.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
		for (Connection connection : this.connections) {
			connection.close();
		}
	}

	private void acceptLoop() {
		while (!this.closed) {
			try {
				Socket socket = this.server.accept();
				Connection connection = new Connection(socket, System.nanoTime());
				this.connections.add(connection);
				if (this.mode == Mode.HANG_UP) {
					Thread closer = new Thread(connection::readFirstByteAndClose, "fake-broker-close-" + socket.getPort());
					closer.setDaemon(true);
					closer.start();
				}
				else if (this.mode.answer != null) {
					Thread answerer = new Thread(() -> connection.answerFirstPacket(this.mode.answer, this.mode.keepOpen),
							"fake-broker-answer-" + socket.getPort());
					answerer.setDaemon(true);
					answerer.start();
				}
				else {
					Thread reader = new Thread(connection::readUntilClosed, "fake-broker-read-" + socket.getPort());
					reader.setDaemon(true);
					reader.start();
				}
			}
			catch (IOException ex) {
				if (!this.closed) {
					throw new UncheckedIOException(ex);
				}
			}
		}
	}

	/**
	 * What the fake broker does with a connection.
	 */
	enum Mode {

		/** Accept, read and never answer. */
		SILENT(null),

		/**
		 * Close the connection as soon as the first byte came (waiting at most 100 ms for
		 * it), to record it: {@code 0x10} for a CONNECT, {@code 0x16} for the TLS probe
		 * of the client's failure diagnosis.
		 */
		HANG_UP(null),

		/** Read the first packet and close the connection without an answer. */
		CLOSE_AFTER_CONNECT(new byte[0]),

		/**
		 * Answer the CONNECT as a broker of MQTT 3.1.1 only: a 3.1.1 CONNACK with return
		 * code 1 (unacceptable protocol version), then close.
		 */
		REFUSE_PROTOCOL_V311(new byte[] { 0x20, 0x02, 0x00, 0x01 }),

		/**
		 * Answer the CONNECT as an MQTT 5 broker that refuses the version: a CONNACK with
		 * reason code 0x84 (Unsupported Protocol Version), then close.
		 */
		REFUSE_PROTOCOL_V5(new byte[] { 0x20, 0x03, 0x00, (byte) 0x84, 0x00 }),

		/**
		 * Accept the MQTT 5 CONNECT (a CONNACK with reason code 0, no session), then, 50 ms
		 * later, end the connection with a DISCONNECT of reason code 0x82 (Protocol
		 * Error), as a broker does with a client that sent something it cannot accept.
		 */
		ACCEPT_THEN_PROTOCOL_ERROR(new byte[] { 0x20, 0x03, 0x00, 0x00, 0x00 }, true);

		private final byte @Nullable [] answer;

		// whether the connection stays open after the answer, until the client closes it
		private final boolean keepOpen;

		Mode(byte @Nullable [] answer) {
			this(answer, false);
		}

		Mode(byte @Nullable [] answer, boolean keepOpen) {
			this.answer = answer;
			this.keepOpen = keepOpen;
		}

	}

	/**
	 * One accepted connection.
	 */
	static final class Connection {

		private final Socket socket;

		private final long acceptedNanos;

		private volatile int firstByte = -1;

		private volatile long closedNanos;

		Connection(Socket socket, long acceptedNanos) {
			this.socket = socket;
			this.acceptedNanos = acceptedNanos;
		}

		long acceptedNanos() {
			return this.acceptedNanos;
		}

		/**
		 * Return the first byte the client sent ({@code 0x10} for CONNECT), or -1.
		 * @return the first byte
		 */
		int firstByte() {
			return this.firstByte;
		}

		/**
		 * Return whether the client closed the connection.
		 * @return whether the connection is closed
		 */
		boolean isClosedByClient() {
			return this.closedNanos != 0;
		}

		/**
		 * Return how long the connection lasted until the client closed it.
		 * @return the duration in milliseconds
		 */
		long lifetimeMillis() {
			return (this.closedNanos - this.acceptedNanos) / 1_000_000;
		}

		private void readUntilClosed() {
			try {
				InputStream in = this.socket.getInputStream();
				int read;
				while ((read = in.read()) != -1) {
					if (this.firstByte == -1) {
						this.firstByte = read;
					}
				}
			}
			catch (IOException ex) {
				// reset by the client
			}
			this.closedNanos = System.nanoTime();
			close();
		}

		private void readFirstByteAndClose() {
			try {
				this.socket.setSoTimeout(100);
				this.firstByte = this.socket.getInputStream().read();
			}
			catch (IOException ex) {
				// nothing came
			}
			close();
		}

		// Read one MQTT packet (fixed header, remaining length, body), answer, close.
		private void answerFirstPacket(byte[] answer, boolean keepOpen) {
			try {
				InputStream in = this.socket.getInputStream();
				int first = in.read();
				this.firstByte = first;
				int length = 0;
				int multiplier = 1;
				int digit;
				do {
					digit = in.read();
					if (digit < 0) {
						break;
					}
					length += (digit & 0x7F) * multiplier;
					multiplier *= 128;
				}
				while ((digit & 0x80) != 0 && multiplier <= 128 * 128 * 128);
				in.readNBytes(Math.min(length, 65536));
				OutputStream out = this.socket.getOutputStream();
				out.write(answer);
				out.flush();
				if (keepOpen) {
					// the broker's time to read what follows the CONNECT and refuse it
					Thread.sleep(50);
					out.write(new byte[] { (byte) 0xE0, 0x02, (byte) 0x82, 0x00 });
					out.flush();
					readUntilClosed();
					return;
				}
			}
			catch (IOException ex) {
				// closed by the client
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			close();
		}

		void close() {
			try {
				this.socket.close();
			}
			catch (IOException ex) {
				// already closed
			}
		}

	}

}
