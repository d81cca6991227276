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
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;

import javax.net.SocketFactory;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ClientSocketFactories}.
 *
 * @author mqttboot
 */
class ClientSocketFactoriesTests {

	@Test
	void plainSocketsHaveNoDelay() throws Exception {
		try (Socket socket = ClientSocketFactories.plain().createSocket()) {
			assertThat(socket.getTcpNoDelay()).isTrue();
		}
	}

	@Test
	void plainSocketReadsThroughOneBufferWhoeverAsks() throws Exception {
		try (Connection connection = Connection.open()) {
			// Three small packets in one write: the first read buffers all of them.
			connection.peer.getOutputStream().write(new byte[] { 0x30, 3, 'a', 'b', 'c', 0x40, 2, 0, 1 });
			InputStream first = connection.socket.getInputStream();
			assertThat(first).isInstanceOf(BufferedInputStream.class);
			assertThat(first.read()).isEqualTo(0x30);
			InputStream second = connection.socket.getInputStream();
			assertThat(second).isSameAs(first);
			assertThat(second.available()).isEqualTo(8);
			assertThat(second.readNBytes(8)).containsExactly(3, 'a', 'b', 'c', 0x40, 2, 0, 1);
		}
	}

	@Test
	void availableAsksTheSocketOnceTheBufferIsEmpty() throws Exception {
		try (Connection connection = Connection.open()) {
			InputStream input = connection.socket.getInputStream();
			assertThat(input.available()).isZero();
			connection.peer.getOutputStream().write(new byte[] { 1, 2, 3 });
			Awaitility.await().atMost(Duration.ofSeconds(5)).until(input::available, (count) -> count == 3);
			assertThat(input.readNBytes(3)).containsExactly(1, 2, 3);
			assertThat(input.available()).isZero();
		}
	}

	@Test
	void readTimeoutLosesNoBytes() throws Exception {
		try (Connection connection = Connection.open()) {
			// As Paho does: a read timeout, ignored, then the next read.
			connection.socket.setSoTimeout(50);
			InputStream input = connection.socket.getInputStream();
			assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(input::read);
			OutputStream output = connection.peer.getOutputStream();
			output.write(new byte[] { 1, 2, 3 });
			output.flush();
			assertThat(input.readNBytes(3)).containsExactly(1, 2, 3);
		}
	}

	@Test
	void closedPlainSocketHasNoInputStream() throws Exception {
		Socket socket = ClientSocketFactories.plain().createSocket();
		socket.close();
		assertThatExceptionOfType(SocketException.class).isThrownBy(socket::getInputStream);
	}

	@Test
	void connectingFactoryMethodsConnect() throws Exception {
		SocketFactory factory = ClientSocketFactories.plain();
		InetAddress loopback = InetAddress.getLoopbackAddress();
		try (ServerSocket server = new ServerSocket(0, 8, loopback)) {
			int port = server.getLocalPort();
			try (Socket byNullName = factory.createSocket((String) null, port);
					Socket byName = factory.createSocket(loopback.getHostAddress(), port);
					Socket byAddress = factory.createSocket(loopback, port);
					Socket byNameFromLocal = factory.createSocket(loopback.getHostAddress(), port, loopback, 0);
					Socket byAddressFromLocal = factory.createSocket(loopback, port, loopback, 0)) {
				for (Socket socket : new Socket[] { byNullName, byName, byAddress, byNameFromLocal,
						byAddressFromLocal }) {
					assertThat(socket.isConnected()).isTrue();
					assertThat(socket.getRemoteSocketAddress()).isEqualTo(new InetSocketAddress(loopback, port));
					assertThat(socket.getTcpNoDelay()).isTrue();
					assertThat(socket.getInputStream()).isInstanceOf(BufferedInputStream.class);
				}
			}
		}
	}

	@Test
	void tlsSocketsHaveNoDelayAndStayTls() throws Exception {
		SSLSocketFactory factory = ClientSocketFactories.tls((SSLSocketFactory) SSLSocketFactory.getDefault());
		try (Socket socket = factory.createSocket()) {
			assertThat(socket).isInstanceOf(SSLSocket.class);
			assertThat(socket.getTcpNoDelay()).isTrue();
		}
	}

	/**
	 * A socket of the plain factory connected to a peer on loopback.
	 */
	private record Connection(ServerSocket server, Socket socket, Socket peer) implements AutoCloseable {

		static Connection open() throws IOException {
			ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
			Socket socket = ClientSocketFactories.plain().createSocket();
			socket.connect(server.getLocalSocketAddress(), 5000);
			return new Connection(server, socket, server.accept());
		}

		@Override
		public void close() throws IOException {
			try (this.server; this.socket; this.peer) {
				// closes all three
			}
		}

	}

}
