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
import java.net.InetAddress;
import java.net.Socket;

import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

/**
 * Socket factories that turn Nagle's algorithm off on every socket. Paho never sets
 * {@code TCP_NODELAY}, so small MQTT packets (PUBACK, small publishes) wait for the
 * delayed ACK of the peer, which caps a client at about a thousand messages a second.
 *
 * @author mqttboot
 */
final class NoDelaySocketFactory {

	private NoDelaySocketFactory() {
	}

	/**
	 * Wrap a plain socket factory.
	 * @param delegate the factory that creates the sockets
	 * @return the wrapping factory
	 */
	static SocketFactory plain(SocketFactory delegate) {
		return new Plain(delegate);
	}

	/**
	 * Wrap a TLS socket factory.
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
		catch (IOException ex) {
			socket.close();
			throw ex;
		}
	}

	private static final class Plain extends SocketFactory {

		private final SocketFactory delegate;

		Plain(SocketFactory delegate) {
			this.delegate = delegate;
		}

		@Override
		public Socket createSocket() throws IOException {
			return noDelay(this.delegate.createSocket());
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
