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
package io.mqttboot.benchmark;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;

import javax.net.SocketFactory;

import org.jspecify.annotations.Nullable;

/**
 * Plain sockets for raw Paho, optionally tuned the way the starter tunes its own
 * ({@code ClientSocketFactories} in the starter).
 * <ul>
 * <li>{@code TCP_NODELAY} (on by default in the benchmark): Paho never sets it, so its
 * small writes (PUBACK, PUBREC, PUBREL, PUBCOMP and small PUBLISHes) wait for Nagle's
 * algorithm and the peer's delayed ACK.</li>
 * <li>Buffered reads (off by default: raw Paho as it comes): Paho reads every packet
 * with at least three unbuffered reads of the socket.</li>
 * </ul>
 *
 * @author mqttboot
 */
final class RawSocketFactory extends SocketFactory {

	private final boolean noDelay;

	private final boolean bufferedReads;

	RawSocketFactory(boolean noDelay, boolean bufferedReads) {
		this.noDelay = noDelay;
		this.bufferedReads = bufferedReads;
	}

	@Override
	public Socket createSocket() throws IOException {
		Socket socket = (this.bufferedReads) ? new BufferedReadSocket() : new Socket();
		socket.setTcpNoDelay(this.noDelay);
		return socket;
	}

	// Paho creates unconnected sockets (above) and connects them itself.

	@Override
	public Socket createSocket(String host, int port) {
		throw unsupported();
	}

	@Override
	public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
		throw unsupported();
	}

	@Override
	public Socket createSocket(InetAddress host, int port) {
		throw unsupported();
	}

	@Override
	public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
		throw unsupported();
	}

	private static UnsupportedOperationException unsupported() {
		return new UnsupportedOperationException("Only unconnected sockets, as Paho creates them");
	}

	/**
	 * A socket whose input stream reads through one buffer, like the starter's.
	 */
	private static final class BufferedReadSocket extends Socket {

		private @Nullable InputStream bufferedInput;

		@Override
		public synchronized InputStream getInputStream() throws IOException {
			InputStream input = super.getInputStream();
			if (this.bufferedInput == null) {
				this.bufferedInput = new BufferedInputStream(input, 8192) {

					// Paho asks before every packet: answer from the buffer while it
					// holds bytes.
					@Override
					public synchronized int available() throws IOException {
						int buffered = this.count - this.pos;
						return (buffered > 0) ? buffered : super.available();
					}

				};
			}
			return this.bufferedInput;
		}

	}

}
