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

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal MQTT 3.1.1 server that answers a QoS 2 PUBLISH with a PUBACK, as RabbitMQ's
 * MQTT plugin does (it has no QoS 2): it accepts every CONNECT (session present from the
 * second connection on), grants every subscription at QoS 1, answers PINGREQ, and
 * records every PUBLISH it receives. Not a broker: it delivers nothing.
 *
 * @author mqttboot
 */
final class PubackForQos2Server implements AutoCloseable {

	private final ServerSocket server;

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	private final List<Publish> publishes = new CopyOnWriteArrayList<>();

	private volatile int connections;

	private volatile boolean closed;

	private PubackForQos2Server() throws IOException {
		this.server = new ServerSocket();
		this.server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
		Thread acceptor = new Thread(this::acceptLoop, "puback-server-" + this.server.getLocalPort());
		acceptor.setDaemon(true);
		acceptor.start();
	}

	static PubackForQos2Server start() {
		try {
			return new PubackForQos2Server();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	String mqttUrl() {
		return "mqtt://127.0.0.1:" + this.server.getLocalPort();
	}

	/** The PUBLISH packets received so far, in order. */
	List<Publish> publishes() {
		return List.copyOf(this.publishes);
	}

	/** How many connections were accepted so far. */
	int connections() {
		return this.connections;
	}

	/** Close every open connection abruptly, as a broker that goes away does. */
	void dropConnections() {
		for (Socket socket : this.sockets) {
			closeQuietly(socket);
		}
	}

	@Override
	public void close() {
		this.closed = true;
		dropConnections();
		try {
			this.server.close();
		}
		catch (IOException ex) {
			// ignore
		}
	}

	private void acceptLoop() {
		while (!this.closed) {
			try {
				Socket socket = this.server.accept();
				this.sockets.add(socket);
				Thread reader = new Thread(() -> serve(socket), "puback-server-connection");
				reader.setDaemon(true);
				reader.start();
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void serve(Socket socket) {
		try (socket) {
			DataInputStream in = new DataInputStream(socket.getInputStream());
			OutputStream out = socket.getOutputStream();
			while (true) {
				int header = in.readUnsignedByte();
				byte[] body = new byte[remainingLength(in)];
				in.readFully(body);
				switch (header >> 4) {
					case 1 -> {
						int number = this.connections++;
						write(out, 0x20, (number > 0) ? 1 : 0, 0);
					}
					case 3 -> publish(header, body, out);
					case 6 -> write(out, 0x70, body[0], body[1]);
					case 8 -> write(out, 0x90, body[0], body[1], 1);
					case 12 -> write(out, 0xD0);
					case 14 -> {
						return;
					}
					default -> {
					}
				}
			}
		}
		catch (EOFException ex) {
			// the client closed the connection
		}
		catch (IOException ex) {
			// dropped
		}
		finally {
			this.sockets.remove(socket);
		}
	}

	private void publish(int header, byte[] body, OutputStream out) throws IOException {
		int qos = (header >> 1) & 3;
		int topicLength = ((body[0] & 0xFF) << 8) | (body[1] & 0xFF);
		String topic = new String(body, 2, topicLength, StandardCharsets.UTF_8);
		this.publishes.add(new Publish(topic, qos, (header & 0x08) != 0, this.connections));
		if (qos > 0) {
			write(out, 0x40, body[2 + topicLength], body[3 + topicLength]);
		}
	}

	private static int remainingLength(DataInputStream in) throws IOException {
		int value = 0;
		int shift = 0;
		int next;
		do {
			next = in.readUnsignedByte();
			value |= (next & 0x7F) << shift;
			shift += 7;
		}
		while ((next & 0x80) != 0);
		return value;
	}

	private static synchronized void write(OutputStream out, int type, int... body) throws IOException {
		byte[] packet = new byte[2 + body.length];
		packet[0] = (byte) type;
		packet[1] = (byte) body.length;
		for (int i = 0; i < body.length; i++) {
			packet[2 + i] = (byte) body[i];
		}
		out.write(packet);
		out.flush();
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// ignore
		}
	}

	/**
	 * A PUBLISH received.
	 *
	 * @param topic the topic
	 * @param qos the QoS
	 * @param duplicate the DUP flag
	 * @param connection the number of the connection it came on, from 1
	 */
	record Publish(String topic, int qos, boolean duplicate, int connection) {

	}

}
