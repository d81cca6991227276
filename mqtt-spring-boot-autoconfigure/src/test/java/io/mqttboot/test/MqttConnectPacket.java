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

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A CONNECT packet as a broker receives it, decoded from the bytes a {@link TcpProxy}
 * saw (MQTT 3.1, 3.1.1 and 5), so that tests can show which connection parameters
 * reach the broker. Passwords are kept only as a flag and a length.
 *
 * @param protocolName {@code MQTT}, or {@code MQIsdp} for 3.1
 * @param protocolLevel 3 (3.1), 4 (3.1.1) or 5
 * @param cleanStart the Clean Start (Clean Session) flag
 * @param keepAlive the keep-alive in seconds
 * @param properties the MQTT 5 CONNECT properties by identifier (user properties under
 * {@link #USER_PROPERTY} as a list of name-value pairs)
 * @param clientId the client id
 * @param will the will, or {@code null}
 * @param username the username, or {@code null}
 * @param passwordLength the length of the password, or -1 if none was sent
 * @author mqttboot
 */
public record MqttConnectPacket(String protocolName, int protocolLevel, boolean cleanStart, int keepAlive,
		Map<Integer, Object> properties, String clientId, @Nullable Will will, @Nullable String username,
		int passwordLength) {

	public static final int SESSION_EXPIRY_INTERVAL = 0x11;

	public static final int RECEIVE_MAXIMUM = 0x21;

	public static final int MAXIMUM_PACKET_SIZE = 0x27;

	public static final int TOPIC_ALIAS_MAXIMUM = 0x22;

	public static final int REQUEST_RESPONSE_INFORMATION = 0x19;

	public static final int REQUEST_PROBLEM_INFORMATION = 0x17;

	public static final int USER_PROPERTY = 0x26;

	public static final int WILL_DELAY_INTERVAL = 0x18;

	public static final int MESSAGE_EXPIRY_INTERVAL = 0x02;

	public static final int CONTENT_TYPE = 0x03;

	/**
	 * Decode a whole CONNECT packet, fixed header included.
	 * @param packet the bytes of the packet
	 * @return the decoded packet
	 */
	public static MqttConnectPacket decode(byte[] packet) {
		ByteBuffer buffer = ByteBuffer.wrap(packet);
		int type = buffer.get() & 0xFF;
		if (type != 0x10) {
			throw new IllegalArgumentException("Not a CONNECT packet: 0x" + Integer.toHexString(type));
		}
		variableByteInteger(buffer);
		String protocolName = string(buffer);
		int level = buffer.get() & 0xFF;
		int flags = buffer.get() & 0xFF;
		int keepAlive = buffer.getShort() & 0xFFFF;
		boolean v5 = level == 5;
		Map<Integer, Object> properties = v5 ? properties(buffer) : Map.of();
		String clientId = string(buffer);
		Will will = null;
		if ((flags & 0x04) != 0) {
			Map<Integer, Object> willProperties = v5 ? properties(buffer) : Map.of();
			String topic = string(buffer);
			byte[] payload = binary(buffer);
			will = new Will(topic, new String(payload, StandardCharsets.UTF_8), (flags >> 3) & 0x03,
					(flags & 0x20) != 0, willProperties);
		}
		String username = ((flags & 0x80) != 0) ? string(buffer) : null;
		int passwordLength = ((flags & 0x40) != 0) ? binary(buffer).length : -1;
		return new MqttConnectPacket(protocolName, level, (flags & 0x02) != 0, keepAlive, properties, clientId,
				will, username, passwordLength);
	}

	private static Map<Integer, Object> properties(ByteBuffer buffer) {
		int length = variableByteInteger(buffer);
		int end = buffer.position() + length;
		Map<Integer, Object> properties = new LinkedHashMap<>();
		List<List<String>> userProperties = new ArrayList<>();
		while (buffer.position() < end) {
			int identifier = variableByteInteger(buffer);
			Object value = switch (identifier) {
				case 0x01, 0x17, 0x19 -> buffer.get() & 0xFF;
				case 0x21, 0x22 -> buffer.getShort() & 0xFFFF;
				case 0x02, 0x11, 0x18, 0x27 -> buffer.getInt() & 0xFFFFFFFFL;
				case 0x03, 0x08, 0x15 -> string(buffer);
				case 0x09, 0x16 -> binary(buffer);
				case USER_PROPERTY -> List.of(string(buffer), string(buffer));
				default -> throw new IllegalArgumentException("Unknown property 0x" + Integer.toHexString(identifier));
			};
			if (identifier == USER_PROPERTY) {
				@SuppressWarnings("unchecked")
				List<String> pair = (List<String>) value;
				userProperties.add(pair);
			}
			else {
				properties.put(identifier, value);
			}
		}
		if (!userProperties.isEmpty()) {
			properties.put(USER_PROPERTY, userProperties);
		}
		return properties;
	}

	private static int variableByteInteger(ByteBuffer buffer) {
		int value = 0;
		int multiplier = 1;
		int digit;
		do {
			digit = buffer.get() & 0xFF;
			value += (digit & 0x7F) * multiplier;
			multiplier *= 128;
		}
		while ((digit & 0x80) != 0);
		return value;
	}

	private static String string(ByteBuffer buffer) {
		return new String(binary(buffer), StandardCharsets.UTF_8);
	}

	private static byte[] binary(ByteBuffer buffer) {
		byte[] bytes = new byte[buffer.getShort() & 0xFFFF];
		buffer.get(bytes);
		return bytes;
	}

	@Override
	public String toString() {
		return "CONNECT[" + this.protocolName + " level " + this.protocolLevel + ", clean " + this.cleanStart
				+ ", keep-alive " + this.keepAlive + ", properties " + this.properties + ", client id '"
				+ this.clientId + "', will " + this.will + ", username " + this.username + ", password "
				+ ((this.passwordLength >= 0) ? "present" : "absent") + "]";
	}

	/**
	 * The will of a CONNECT packet.
	 *
	 * @param topic the topic
	 * @param payload the payload as UTF-8
	 * @param qos the QoS
	 * @param retain the retain flag
	 * @param properties the MQTT 5 will properties
	 */
	public record Will(String topic, String payload, int qos, boolean retain, Map<Integer, Object> properties) {

	}

}
