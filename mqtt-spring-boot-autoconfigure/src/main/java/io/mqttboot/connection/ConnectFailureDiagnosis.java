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

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.util.function.Function;

import javax.net.ssl.SSLException;

import org.jspecify.annotations.Nullable;

/**
 * Names the likely cause of a failed connection attempt when it is a setting rather than
 * the broker: a plain connection ({@code mqtt://}) to a port that speaks TLS, a TLS
 * connection ({@code mqtts://}) to a plain port, or a protocol version the broker does
 * not accept (an MQTT 5 CONNECT refused with reason code 0x84, answered with a 3.x
 * CONNACK, or dropped by a broker of MQTT 3.1.1 only).
 * <p>
 * A plain connection closed before CONNACK is told apart from a refused protocol version
 * by one probe of the server: a TLS ClientHello on a plain socket, whose answer shows
 * whether the port speaks TLS (bounded, no handshake is completed), made once until the
 * next successful connection. Only a connection with a single server URI is
 * diagnosed.
 *
 * @author mqttboot
 */
final class ConnectFailureDiagnosis {

	/** Paho (both clients): the connection was closed or reset. */
	static final int CONNECTION_LOST = 32109;

	/** Paho v5: a CONNACK with a reason code MQTT 5 does not define (a 3.x CONNACK). */
	static final int INVALID_RETURN_CODE = 50001;

	/** MQTT 5 CONNACK: Unsupported Protocol Version. */
	static final int UNSUPPORTED_PROTOCOL_VERSION = 0x84;

	/** MQTT 3.x CONNACK return code 1: unacceptable protocol version. */
	static final int UNACCEPTABLE_PROTOCOL_VERSION = 1;

	private static final int PROBE_TIMEOUT_MILLIS = 2_000;

	private static final byte[] CLIENT_HELLO = clientHello();

	private final @Nullable URI serverUri;

	private final MqttProtocolVersion protocolVersion;

	private final Function<Throwable, @Nullable Integer> reasonCode;

	private final TlsProbe probe;

	// null until probed; reset by connected()
	private volatile @Nullable Boolean speaksTls;

	ConnectFailureDiagnosis(String[] serverUris, MqttProtocolVersion protocolVersion,
			Function<Throwable, @Nullable Integer> reasonCode) {
		this(serverUris, protocolVersion, reasonCode, ConnectFailureDiagnosis::handshake);
	}

	ConnectFailureDiagnosis(String[] serverUris, MqttProtocolVersion protocolVersion,
			Function<Throwable, @Nullable Integer> reasonCode, TlsProbe probe) {
		this.serverUri = (serverUris.length == 1) ? parse(serverUris[0]) : null;
		this.protocolVersion = protocolVersion;
		this.reasonCode = reasonCode;
		this.probe = probe;
	}

	private static @Nullable URI parse(String serverUri) {
		try {
			URI uri = URI.create(serverUri);
			return (uri.getHost() != null && uri.getPort() > 0) ? uri : null;
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	/**
	 * Forget what a probe found: called once connected.
	 */
	void connected() {
		this.speaksTls = null;
	}

	/**
	 * Return the likely cause of a failed connection attempt and what to change, or
	 * {@code null} when the failure names its cause itself.
	 * @param ex the failure of the attempt
	 * @return the hint, a sentence, or {@code null}
	 */
	@Nullable String hint(Throwable ex) {
		Throwable failure = MqttFailures.unwrap(ex);
		Integer code = this.reasonCode.apply(failure);
		String refused = protocolRefused(code);
		if (refused != null) {
			return refused;
		}
		URI uri = this.serverUri;
		if (uri == null || !closedOrReset(failure, code)) {
			return null;
		}
		String hostPort = uri.getHost() + ":" + uri.getPort();
		if ("ssl".equals(uri.getScheme())) {
			return (isHandshakeCutOff(failure)) ? "Likely cause: " + hostPort + " speaks plain MQTT, not TLS (the "
					+ "connection was closed during the TLS handshake): use mqtt://" + hostPort
					+ ", or the broker's TLS port with mqtts://" : null;
		}
		if (!"tcp".equals(uri.getScheme())) {
			return null;
		}
		if (speaksTls(uri)) {
			return "Likely cause: " + hostPort + " speaks TLS (the connection was closed at CONNECT and the port "
					+ "answers a TLS handshake): use mqtts://" + hostPort + ", or the broker's plain port with mqtt://";
		}
		if (this.protocolVersion.isV5()) {
			return "Likely cause: the broker does not accept MQTT 5 (it closed the connection right after the "
					+ "CONNECT): if it supports only MQTT 3.1.1, set mqtt.protocol-version: 3.1.1";
		}
		return null;
	}

	private @Nullable String protocolRefused(@Nullable Integer code) {
		if (code == null) {
			return null;
		}
		if (this.protocolVersion.isV5() && (code == UNSUPPORTED_PROTOCOL_VERSION || code == INVALID_RETURN_CODE)) {
			String answer = (code == UNSUPPORTED_PROTOCOL_VERSION) ? "CONNACK reason code 0x84, Unsupported "
					+ "Protocol Version" : "a CONNACK that is not MQTT 5's, as a broker of MQTT 3.x sends";
			return "Likely cause: the broker does not accept MQTT 5 (" + answer + "): if it supports only MQTT 3.1.1, "
					+ "set mqtt.protocol-version: 3.1.1";
		}
		if (this.protocolVersion == MqttProtocolVersion.V3_1_1 && code == UNACCEPTABLE_PROTOCOL_VERSION) {
			return "Likely cause: the broker does not accept MQTT 3.1.1 (CONNACK return code 1, unacceptable "
					+ "protocol version): set mqtt.protocol-version: 3.1 for a broker of MQTT 3.1 only, or 5";
		}
		return null;
	}

	// The server closed or reset the connection before CONNACK.
	private static boolean closedOrReset(Throwable failure, @Nullable Integer code) {
		if (code != null && code == CONNECTION_LOST) {
			return true;
		}
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (isCutOff(cause)) {
				return true;
			}
		}
		return false;
	}

	// The TLS handshake ended because the server closed or reset the connection or sent
	// something that is not TLS; not a certificate or cipher failure (an alert).
	private static boolean isHandshakeCutOff(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (isCutOff(cause)) {
				return true;
			}
			if (cause instanceof SSLException && cause.getMessage() != null
					&& (cause.getMessage().contains("Remote host terminated the handshake")
							|| cause.getMessage().contains("Unsupported or unrecognized SSL message"))) {
				return true;
			}
		}
		return false;
	}

	private static boolean isCutOff(Throwable cause) {
		return cause instanceof EOFException || (cause instanceof SocketException && cause.getMessage() != null
				&& (cause.getMessage().contains("Connection reset") || cause.getMessage().contains("Broken pipe")));
	}

	private boolean speaksTls(URI uri) {
		Boolean known = this.speaksTls;
		if (known == null) {
			known = this.probe.speaksTls(uri.getHost(), uri.getPort());
			this.speaksTls = known;
		}
		return known;
	}

	// Sends a TLS 1.2 ClientHello over a plain socket and reads the first bytes of the
	// answer: a TLS server answers with a handshake record (ServerHello) or an alert,
	// both TLS records (0x16 or 0x15, then major version 3); an MQTT broker closes the
	// connection, as the ClientHello is no MQTT packet. No handshake is completed and
	// nothing else is sent.
	private static boolean handshake(String host, int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), PROBE_TIMEOUT_MILLIS);
			socket.setSoTimeout(PROBE_TIMEOUT_MILLIS);
			OutputStream out = socket.getOutputStream();
			out.write(CLIENT_HELLO);
			out.flush();
			InputStream in = socket.getInputStream();
			int type = in.read();
			int major = in.read();
			return (type == 0x16 || type == 0x15) && major == 0x03;
		}
		catch (IOException | RuntimeException ex) {
			return false;
		}
	}

	private static byte[] clientHello() {
		byte[] body = bytes(
				// client version TLS 1.2, 32 bytes of random (zeros: no key is derived)
				"0303" + "00".repeat(32)
				// no session id; cipher suites: ECDHE-ECDSA/RSA with AES-GCM, RSA with AES
						+ "00" + "000e" + "c02bc02fc02cc030009c009d002f"
						// compression: null only
						+ "0100"
						// extensions: supported groups (x25519, secp256r1, secp384r1), point
						// formats, signature algorithms
						+ "0024" + "000a000800060017001d0018" + "000b00020100"
						+ "000d000e000c040305030804080504010501");
		byte[] hello = new byte[9 + body.length];
		hello[0] = 0x16;
		hello[1] = 0x03;
		hello[2] = 0x01;
		hello[3] = (byte) ((body.length + 4) >> 8);
		hello[4] = (byte) (body.length + 4);
		hello[5] = 0x01;
		hello[6] = 0;
		hello[7] = (byte) (body.length >> 8);
		hello[8] = (byte) body.length;
		System.arraycopy(body, 0, hello, 9, body.length);
		return hello;
	}

	private static byte[] bytes(String hex) {
		byte[] bytes = new byte[hex.length() / 2];
		for (int i = 0; i < bytes.length; i++) {
			bytes[i] = (byte) Integer.parseInt(hex, 2 * i, 2 * i + 2, 16);
		}
		return bytes;
	}

	/**
	 * Finds out whether a server port speaks TLS.
	 */
	@FunctionalInterface
	interface TlsProbe {

		/**
		 * Return whether the port answers a TLS handshake.
		 * @param host the host
		 * @param port the port
		 * @return whether it speaks TLS
		 */
		boolean speaksTls(String host, int port);

	}

}
