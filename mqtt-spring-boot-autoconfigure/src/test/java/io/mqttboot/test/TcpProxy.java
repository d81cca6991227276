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
package io.mqttboot.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.IntConsumer;

import org.jspecify.annotations.Nullable;

/**
 * A TCP proxy between the application and a broker, for tests that need to see or
 * disturb the traffic: it counts the MQTT control packets in each direction (plain TCP
 * only) and keeps the CONNECT packets, can {@link #cut()} every connection abruptly (a network fault: no DISCONNECT
 * reaches the broker) and can {@link #freeze()} the current connections (both peers
 * stay connected but hear nothing more, as behind a dead router).
 *
 * @author mqttboot
 */
public final class TcpProxy implements AutoCloseable {

	/** MQTT control packet type of PUBLISH. */
	public static final int PUBLISH = 3;

	/** MQTT control packet type of PUBACK. */
	public static final int PUBACK = 4;

	/** MQTT control packet type of PINGREQ. */
	public static final int PINGREQ = 12;

	/** MQTT control packet type of PINGRESP. */
	public static final int PINGRESP = 13;

	/** MQTT control packet type of CONNECT. */
	public static final int CONNECT = 1;

	/** MQTT control packet type of DISCONNECT. */
	public static final int DISCONNECT = 14;

	private final ServerSocket server;

	private final String targetHost;

	private final int targetPort;

	private final Set<Link> links = ConcurrentHashMap.newKeySet();

	private final AtomicInteger accepted = new AtomicInteger();

	private final AtomicIntegerArray fromClient = new AtomicIntegerArray(16);

	private final AtomicIntegerArray fromServer = new AtomicIntegerArray(16);

	private final List<byte[]> connects = new CopyOnWriteArrayList<>();

	private final AtomicInteger mostConnectsOnOneLink = new AtomicInteger();

	private volatile long lastForwardedFromClient;

	private final ByteArrayOutputStream rawFromClient = new ByteArrayOutputStream();

	private volatile boolean closed;

	private volatile boolean refusing;

	private volatile long refuseDelayMillis;

	private TcpProxy(String bindAddress, String targetHost, int targetPort) throws IOException {
		this.targetHost = targetHost;
		this.targetPort = targetPort;
		this.server = new ServerSocket();
		this.server.bind(new InetSocketAddress(InetAddress.getByName(bindAddress), 0));
		Thread acceptor = new Thread(this::acceptLoop, "tcp-proxy-accept-" + this.server.getLocalPort());
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/**
	 * Start a proxy on a free port of 127.0.0.1 to the given port of 127.0.0.1.
	 * @param targetPort the port of the broker
	 * @return the running proxy
	 */
	public static TcpProxy to(int targetPort) {
		return start("127.0.0.1", "127.0.0.1", targetPort);
	}

	/**
	 * Start a proxy on a free port of the given local address.
	 * @param bindAddress the address to listen on, e.g. {@code 127.0.0.2}
	 * @param targetHost the host of the broker
	 * @param targetPort the port of the broker
	 * @return the running proxy
	 */
	public static TcpProxy start(String bindAddress, String targetHost, int targetPort) {
		try {
			return new TcpProxy(bindAddress, targetHost, targetPort);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public int port() {
		return this.server.getLocalPort();
	}

	/**
	 * Return the {@code mqtt://} URL of the proxy.
	 * @return the URL
	 */
	public String mqttUrl() {
		return "mqtt://" + this.server.getInetAddress().getHostAddress() + ":" + port();
	}

	/**
	 * Return how many connections the proxy accepted so far.
	 * @return the number of accepted connections
	 */
	public int accepted() {
		return this.accepted.get();
	}

	/**
	 * Return how many MQTT control packets of the given type the clients sent.
	 * @param type the packet type, e.g. {@link #PINGREQ}
	 * @return the count
	 */
	public int packetsFromClient(int type) {
		return this.fromClient.get(type);
	}

	/**
	 * Return how many MQTT control packets of the given type the broker sent.
	 * @param type the packet type, e.g. {@link #PINGRESP}
	 * @return the count
	 */
	public int packetsFromServer(int type) {
		return this.fromServer.get(type);
	}

	/**
	 * Return the most CONNECT packets a client sent on one connection: more than one is
	 * a protocol violation that brokers answer by closing the connection.
	 * @return the highest count of CONNECT packets on a single connection
	 */
	public int mostConnectsOnOneLink() {
		return this.mostConnectsOnOneLink.get();
	}

	/**
	 * Return when bytes from a client were last passed on to the broker.
	 * @return the {@link System#nanoTime()} of the last forwarded client bytes
	 */
	public long lastForwardedFromClientNanos() {
		return this.lastForwardedFromClient;
	}

	/**
	 * Return the first 64 KB the clients sent, as they went over the wire.
	 * @return the bytes
	 */
	public byte[] bytesFromClient() {
		synchronized (this.rawFromClient) {
			return this.rawFromClient.toByteArray();
		}
	}

	private void record(byte[] buffer, int length) {
		synchronized (this.rawFromClient) {
			int room = 65536 - this.rawFromClient.size();
			this.rawFromClient.write(buffer, 0, Math.max(0, Math.min(room, length)));
		}
	}

	/**
	 * Return the CONNECT packets the clients sent, decoded, oldest first.
	 * @return the CONNECT packets
	 */
	public List<MqttConnectPacket> connectPackets() {
		return this.connects.stream().map(MqttConnectPacket::decode).toList();
	}

	/**
	 * Close every current connection on both sides at once, as a network fault would:
	 * neither peer gets an MQTT DISCONNECT.
	 */
	public void cut() {
		for (Link link : this.links) {
			link.close();
		}
	}

	/**
	 * Stop forwarding on every current connection without closing anything: both peers
	 * stay connected and hear nothing more, and a close on one side is not passed on.
	 * New connections are forwarded normally.
	 */
	public void freeze() {
		for (Link link : this.links) {
			link.frozen = true;
		}
	}

	/**
	 * Refuse (close at once) every new connection while {@code true}, as a broker that is
	 * down would, or forward them again.
	 * @param refusing whether to refuse new connections
	 */
	public void setRefusing(boolean refusing) {
		this.refusing = refusing;
	}


	/**
	 * Refuse every new connection while {@code true}, as {@link #setRefusing(boolean)}
	 * does, but close each one only after a random delay of up to the given one, as a
	 * broker that accepts connections while it shuts down or starts does.
	 * @param refusing whether to refuse new connections
	 * @param maxDelay the longest time an accepted connection stays open
	 */
	public void setRefusing(boolean refusing, Duration maxDelay) {
		this.refuseDelayMillis = maxDelay.toMillis();
		this.refusing = refusing;
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
		cut();
	}

	private void acceptLoop() {
		while (!this.closed) {
			try {
				Socket client = this.server.accept();
				this.accepted.incrementAndGet();
				if (this.refusing) {
					refuse(client);
					continue;
				}
				Socket target;
				try {
					target = new Socket(this.targetHost, this.targetPort);
				}
				catch (IOException ex) {
					client.close();
					continue;
				}
				Link link = new Link(client, target);
				this.links.add(link);
				link.start();
			}
			catch (IOException ex) {
				if (!this.closed) {
					throw new UncheckedIOException(ex);
				}
			}
		}
	}

	private void refuse(Socket client) throws IOException {
		long delay = this.refuseDelayMillis;
		if (delay <= 0) {
			client.close();
			return;
		}
		long millis = ThreadLocalRandom.current().nextLong(delay + 1);
		Thread closer = new Thread(() -> {
			try {
				Thread.sleep(millis);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			Link.closeQuietly(client);
		}, "tcp-proxy-refuse-" + client.getPort());
		closer.setDaemon(true);
		closer.start();
	}

	private final class Link {

		private final Socket client;

		private final Socket target;

		private volatile boolean frozen;

		Link(Socket client, Socket target) {
			this.client = client;
			this.target = target;
		}

		void start() {
			AtomicInteger connectsOnThisLink = new AtomicInteger();
			PacketCounter fromClient = new PacketCounter(TcpProxy.this.fromClient, TcpProxy.this.connects,
					(type) -> {
						if (type == CONNECT) {
							int count = connectsOnThisLink.incrementAndGet();
							TcpProxy.this.mostConnectsOnOneLink.accumulateAndGet(count, Math::max);
						}
					});
			pump(this.client, this.target, fromClient, "c2s");
			pump(this.target, this.client, new PacketCounter(TcpProxy.this.fromServer, null, (type) -> {
			}), "s2c");
		}

		private void pump(Socket from, Socket to, PacketCounter counter, String direction) {
			Thread thread = new Thread(() -> {
				byte[] buffer = new byte[8192];
				try {
					InputStream in = from.getInputStream();
					OutputStream out = to.getOutputStream();
					int read;
					while ((read = in.read(buffer)) != -1) {
						if (!this.frozen) {
							counter.feed(buffer, read);
							out.write(buffer, 0, read);
							out.flush();
							if (from == this.client) {
								TcpProxy.this.lastForwardedFromClient = System.nanoTime();
								record(buffer, read);
							}
						}
					}
				}
				catch (IOException ex) {
					// one side went away
				}
				if (this.frozen) {
					closeQuietly(from);
				}
				else {
					close();
				}
			}, "tcp-proxy-" + direction + "-" + from.getPort());
			thread.setDaemon(true);
			thread.start();
		}

		void close() {
			closeQuietly(this.client);
			closeQuietly(this.target);
			TcpProxy.this.links.remove(this);
		}

		private static void closeQuietly(Socket socket) {
			try {
				socket.close();
			}
			catch (IOException ex) {
				// already closed
			}
		}

	}

	/**
	 * Splits a byte stream into MQTT control packets (fixed header: type and flags, then
	 * the remaining length as a variable byte integer), counts them by type and keeps
	 * the bytes of CONNECT packets.
	 */
	private static final class PacketCounter {

		private final AtomicIntegerArray counts;

		private final @Nullable List<byte[]> connects;

		private @Nullable ByteArrayOutputStream capture;

		private int state;

		private int remaining;

		private int multiplier;

		private final IntConsumer onPacket;

		PacketCounter(AtomicIntegerArray counts, @Nullable List<byte[]> connects, IntConsumer onPacket) {
			this.counts = counts;
			this.connects = connects;
			this.onPacket = onPacket;
		}

		void feed(byte[] buffer, int length) {
			if (this.state < 0) {
				return;
			}
			try {
				parse(buffer, length);
			}
			catch (RuntimeException ex) {
				// not MQTT in clear (TLS): stop counting
				this.state = -1;
			}
		}

		private void parse(byte[] buffer, int length) {
			int index = 0;
			while (index < length) {
				int value = buffer[index] & 0xFF;
				if (this.state == 0) {
					this.counts.incrementAndGet(value >> 4);
					this.onPacket.accept(value >> 4);
					this.capture = ((value >> 4) == CONNECT && this.connects != null) ? new ByteArrayOutputStream()
							: null;
					capture(buffer, index, 1);
					this.state = 1;
					this.remaining = 0;
					this.multiplier = 1;
					index++;
				}
				else if (this.state == 1) {
					if (this.multiplier > 128 * 128 * 128) {
						throw new IllegalStateException("Malformed remaining length");
					}
					this.remaining += (value & 0x7F) * this.multiplier;
					this.multiplier *= 128;
					capture(buffer, index, 1);
					index++;
					if ((value & 0x80) == 0) {
						this.state = 2;
						completeIfDone();
					}
				}
				else {
					int skip = Math.min(this.remaining, length - index);
					capture(buffer, index, skip);
					index += skip;
					this.remaining -= skip;
					completeIfDone();
				}
			}
		}

		private void capture(byte[] buffer, int offset, int length) {
			if (this.capture != null) {
				this.capture.write(buffer, offset, length);
			}
		}

		private void completeIfDone() {
			if (this.remaining == 0) {
				this.state = 0;
				if (this.capture != null && this.connects != null) {
					this.connects.add(this.capture.toByteArray());
					this.capture = null;
				}
			}
		}

	}

}
