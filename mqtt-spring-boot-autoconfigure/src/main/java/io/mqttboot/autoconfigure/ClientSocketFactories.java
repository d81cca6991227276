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

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

import org.jspecify.annotations.Nullable;

/**
 * The socket factories the starter gives Paho.
 * <ul>
 * <li>{@code TCP_NODELAY} on every socket. Paho never sets it, so small MQTT packets
 * (PUBACK, small publishes) wait for the delayed ACK of the peer, which caps a client at
 * about a thousand messages a second.</li>
 * <li>Buffered reads on plain sockets. Paho reads each packet straight from the socket
 * with at least three calls (the first byte, each byte of the remaining length, then the
 * rest), each a system call; through a buffer, one call usually reads several packets.
 * TLS sockets already read whole records into a buffer.</li>
 * </ul>
 *
 * @author mqttboot
 */
final class ClientSocketFactories {

	/**
	 * The size of the read buffer of a plain socket.
	 */
	private static final int READ_BUFFER_SIZE = 8192;

	private ClientSocketFactories() {
	}

	/**
	 * Return a factory of plain sockets with {@code TCP_NODELAY} and buffered reads.
	 * @return the factory
	 */
	static SocketFactory plain() {
		return new Plain();
	}

	/**
	 * Wrap a TLS socket factory so that its sockets have {@code TCP_NODELAY}.
	 * @param delegate the factory that creates the sockets
	 * @return the wrapping factory
	 */
	static SSLSocketFactory tls(SSLSocketFactory delegate) {
		return new Tls(delegate);
	}

	private static <S extends Socket> S noDelay(S socket) throws IOException {
		try {
			socket.setTcpNoDelay(true);
			return socket;
		}
		catch (IOException | RuntimeException ex) {
			socket.close();
			throw ex;
		}
	}

	private static final class Plain extends SocketFactory {

		@Override
		public Socket createSocket() throws IOException {
			return noDelay(new BufferedReadSocket());
		}

		@Override
		public Socket createSocket(String host, int port) throws IOException {
			return createSocket(InetAddress.getByName(host), port);
		}

		@Override
		public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
			return createSocket(InetAddress.getByName(host), port, localHost, localPort);
		}

		@Override
		public Socket createSocket(InetAddress host, int port) throws IOException {
			return connect(new InetSocketAddress(host, port), null);
		}

		@Override
		public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
				throws IOException {
			return connect(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
		}

		private Socket connect(InetSocketAddress remote, @Nullable InetSocketAddress local) throws IOException {
			Socket socket = createSocket();
			try {
				if (local != null) {
					socket.bind(local);
				}
				socket.connect(remote);
				return socket;
			}
			catch (IOException | RuntimeException ex) {
				socket.close();
				throw ex;
			}
		}

	}

	/**
	 * A plain socket whose input stream reads through a buffer. Every call of
	 * {@link #getInputStream()} returns the same buffered stream (bytes it buffered
	 * belong to no other stream), after the socket's own checks (closed, not connected,
	 * input shut down).
	 */
	static final class BufferedReadSocket extends Socket {

		private @Nullable InputStream bufferedInput;

		@Override
		public synchronized InputStream getInputStream() throws IOException {
			InputStream input = super.getInputStream();
			if (this.bufferedInput == null) {
				this.bufferedInput = new BufferedSocketInput(input);
			}
			return this.bufferedInput;
		}

	}

	/**
	 * The buffered input of a {@link BufferedReadSocket}. Paho asks how many bytes are
	 * available before every packet: while the buffer holds some, that is the answer,
	 * without asking the socket (a system call).
	 */
	static final class BufferedSocketInput extends BufferedInputStream {

		BufferedSocketInput(InputStream input) {
			super(input, READ_BUFFER_SIZE);
		}

		@Override
		public synchronized int available() throws IOException {
			int buffered = this.count - this.pos;
			return (buffered > 0) ? buffered : super.available();
		}

	}

	private static final class Tls extends SSLSocketFactory {

		private final SSLSocketFactory delegate;

		Tls(SSLSocketFactory delegate) {
			this.delegate = delegate;
		}

		@Override
		public String[] getDefaultCipherSuites() {
			return this.delegate.getDefaultCipherSuites();
		}

		@Override
		public String[] getSupportedCipherSuites() {
			return this.delegate.getSupportedCipherSuites();
		}

		@Override
		public Socket createSocket() throws IOException {
			return noDelay(this.delegate.createSocket());
		}

		@Override
		public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
			return noDelay(this.delegate.createSocket(socket, host, port, autoClose));
		}

		@Override
		public Socket createSocket(String host, int port) throws IOException {
			return noDelay(this.delegate.createSocket(host, port));
		}

		@Override
		public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
			return noDelay(this.delegate.createSocket(host, port, localHost, localPort));
		}

		@Override
		public Socket createSocket(InetAddress host, int port) throws IOException {
			return noDelay(this.delegate.createSocket(host, port));
		}

		@Override
		public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
				throws IOException {
			return noDelay(this.delegate.createSocket(address, port, localAddress, localPort));
		}

	}

}
