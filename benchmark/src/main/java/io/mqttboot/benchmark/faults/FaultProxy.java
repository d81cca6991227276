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
package io.mqttboot.benchmark.faults;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A TCP proxy on loopback between the application and the broker that can cut the network.
 * {@link #cut()} resets every open connection and black-holes new ones: they are accepted, and
 * what the client writes is held, never forwarded and never answered. {@link #heal()} ends the
 * cut: held connections are connected to the broker with what they wrote (as TCP retransmissions
 * deliver it once a link is back), and new connections are forwarded again.
 *
 * @author mqttboot
 */
final class FaultProxy implements AutoCloseable {

	private final int upstreamPort;

	private final ServerSocket server;

	private final List<Link> links = new ArrayList<>();

	private boolean cut;

	FaultProxy(int upstreamPort) throws IOException {
		this.upstreamPort = upstreamPort;
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(this::accept, "proxy-accept");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	int port() {
		return this.server.getLocalPort();
	}

	/**
	 * Reset every connection and black-hole new ones until {@link #heal()}.
	 */
	void cut() {
		synchronized (this.links) {
			this.cut = true;
			this.links.forEach(Link::reset);
			this.links.clear();
		}
	}

	/**
	 * Forward again, held connections included.
	 */
	void heal() {
		synchronized (this.links) {
			this.cut = false;
			for (Link link : this.links) {
				link.forward();
			}
		}
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		synchronized (this.links) {
			this.links.forEach(Link::reset);
		}
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket client = this.server.accept();
				client.setTcpNoDelay(true);
				Link link = new Link(client);
				synchronized (this.links) {
					this.links.add(link);
					if (!this.cut) {
						link.forward();
					}
				}
				link.startReading();
			}
			catch (IOException ex) {
				// closed
			}
		}
	}

	/**
	 * One client connection and, once forwarded, its connection to the broker.
	 */
	private final class Link {

		private final Socket client;

		private final ByteArrayOutputStream held = new ByteArrayOutputStream();

		private @Nullable Socket upstream;

		private boolean closed;

		Link(Socket client) {
			this.client = client;
		}

		void startReading() {
			Thread reader = new Thread(this::clientToUpstream, "proxy-client-" + this.client.getPort());
			reader.setDaemon(true);
			reader.start();
		}

		synchronized void forward() {
			if (this.closed || this.upstream != null) {
				return;
			}
			try {
				Socket socket = new Socket(InetAddress.getLoopbackAddress(), FaultProxy.this.upstreamPort);
				socket.setTcpNoDelay(true);
				socket.getOutputStream().write(this.held.toByteArray());
				this.held.reset();
				this.upstream = socket;
				Thread reader = new Thread(() -> upstreamToClient(socket), "proxy-upstream-" + this.client.getPort());
				reader.setDaemon(true);
				reader.start();
			}
			catch (IOException ex) {
				reset();
			}
		}

		synchronized void reset() {
			this.closed = true;
			try {
				this.client.setSoLinger(true, 0);
			}
			catch (IOException ex) {
				// closing anyway
			}
			closeQuietly(this.client);
			Socket socket = this.upstream;
			if (socket != null) {
				closeQuietly(socket);
			}
		}

		private void clientToUpstream() {
			byte[] buffer = new byte[16384];
			try {
				InputStream in = this.client.getInputStream();
				int read;
				while ((read = in.read(buffer)) >= 0) {
					synchronized (this) {
						Socket socket = this.upstream;
						if (socket != null) {
							socket.getOutputStream().write(buffer, 0, read);
						}
						else {
							this.held.write(buffer, 0, read);
						}
					}
				}
			}
			catch (IOException ex) {
				// reset or closed
			}
			end();
		}

		private void upstreamToClient(Socket socket) {
			byte[] buffer = new byte[16384];
			try {
				InputStream in = socket.getInputStream();
				OutputStream out = this.client.getOutputStream();
				int read;
				while ((read = in.read(buffer)) >= 0) {
					out.write(buffer, 0, read);
				}
			}
			catch (IOException ex) {
				// reset or closed
			}
			end();
		}

		private void end() {
			synchronized (this) {
				this.closed = true;
				closeQuietly(this.client);
				Socket socket = this.upstream;
				if (socket != null) {
					closeQuietly(socket);
				}
			}
			synchronized (FaultProxy.this.links) {
				FaultProxy.this.links.remove(this);
			}
		}

		private void closeQuietly(Socket socket) {
			try {
				socket.close();
			}
			catch (IOException ex) {
				// already closed
			}
		}

	}

}
