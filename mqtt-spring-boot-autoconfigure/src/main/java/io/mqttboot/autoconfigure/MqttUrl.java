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

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.StringUtils;

/**
 * One broker URL, parsed: its transport, host, port (the default of the transport when
 * absent) and, for WebSocket, its path ({@code /mqtt} when absent).
 *
 * @param transport the transport
 * @param host the host
 * @param port the port
 * @param path the WebSocket path, or an empty string for TCP transports
 * @author mqttboot
 */
record MqttUrl(Transport transport, String host, int port, String path) {

	private static final String SCHEMES = "mqtt://, tcp://, mqtts://, ssl://, ws:// or wss://";

	private static final Pattern USER_INFO = Pattern.compile("^([^/?#]*://)?[^/?#]*@");

	/**
	 * Parse a URL.
	 * @param property the name of the property the URL comes from, for messages
	 * @param url the URL
	 * @return the parsed URL
	 * @throws InvalidConfigurationPropertyValueException if the URL is not valid
	 * @throws MqttConfigurationException if the URL contains credentials (reported
	 * without the password, which {@code InvalidConfigurationPropertyValueException}
	 * would show, as Spring Boot's analysis prints the property's value)
	 */
	static MqttUrl parse(String property, String url) {
		String trimmed = url.trim();
		if (USER_INFO.matcher(trimmed).find()) {
			String prefix = property.substring(0, property.lastIndexOf('.'));
			throw new MqttConfigurationException(
					property + " '" + redact(trimmed) + "' contains credentials, which are not supported in the URL",
					"Remove them from the URL and set " + prefix + ".username and " + prefix + ".password instead");
		}
		int schemeEnd = trimmed.indexOf("://");
		if (schemeEnd <= 0) {
			throw new InvalidConfigurationPropertyValueException(property, url,
					"The URL has no scheme. Use " + SCHEMES + ", for example mqtt://localhost:1883");
		}
		Transport transport = Transport.of(trimmed.substring(0, schemeEnd));
		if (transport == null) {
			throw new InvalidConfigurationPropertyValueException(property, url, "Unknown scheme '"
					+ trimmed.substring(0, schemeEnd) + "'. Use " + SCHEMES + ", for example mqtt://localhost:1883");
		}
		URI uri;
		try {
			uri = new URI(trimmed);
		}
		catch (URISyntaxException ex) {
			throw new InvalidConfigurationPropertyValueException(property, url,
					"Malformed URL (" + ex.getReason() + "). Use the form scheme://host:port, for example "
							+ "mqtt://localhost:1883");
		}
		String host = uri.getHost();
		String authority = uri.getRawAuthority();
		if (!StringUtils.hasText(host) && authority != null && authority.matches("[^:\\[\\]]+:.*[^0-9].*")) {
			throw new InvalidConfigurationPropertyValueException(property, url,
					"Malformed URL: the port '" + authority.substring(authority.indexOf(':') + 1)
							+ "' is not a number. Use the form scheme://host:port, for example mqtt://localhost:1883");
		}
		if (!StringUtils.hasText(host)) {
			throw new InvalidConfigurationPropertyValueException(property, url,
					"The URL has no valid host. Use the form scheme://host:port, for example mqtt://localhost:1883");
		}
		if (uri.getPort() == -1 && authority != null && authority.endsWith(":")) {
			throw new InvalidConfigurationPropertyValueException(property, url,
					"The URL has an empty port. Remove the ':' or add a port, for example mqtt://localhost:1883");
		}
		if (uri.getUserInfo() != null) {
			throw new InvalidConfigurationPropertyValueException(property, url,
					"Credentials in the URL are not supported. Use mqtt.username and mqtt.password");
		}
		int port = (uri.getPort() != -1) ? uri.getPort() : transport.defaultPort;
		String path = "";
		if (transport.webSocket) {
			path = StringUtils.hasText(uri.getRawPath()) ? uri.getRawPath() : "/mqtt";
			if (uri.getRawQuery() != null) {
				path = path + "?" + uri.getRawQuery();
			}
		}
		else if (StringUtils.hasText(uri.getRawPath()) && !"/".equals(uri.getRawPath())) {
			throw new InvalidConfigurationPropertyValueException(property, url,
					"A path is only supported for ws:// and wss:// URLs. Remove '" + uri.getRawPath() + "'");
		}
		return new MqttUrl(transport, host, port, path);
	}

	/**
	 * Return a URL, or a comma-separated list of them, with the password of each
	 * user-info part replaced by {@code ******}.
	 * @param url the URL
	 * @return the URL without passwords
	 */
	static String redact(String url) {
		StringBuilder redacted = new StringBuilder();
		for (String part : url.split(",", -1)) {
			if (!redacted.isEmpty()) {
				redacted.append(',');
			}
			int start = part.indexOf("://");
			int authorityStart = (start >= 0) ? start + 3 : 0;
			int authorityEnd = authorityStart;
			while (authorityEnd < part.length() && "/?#".indexOf(part.charAt(authorityEnd)) < 0) {
				authorityEnd++;
			}
			int at = part.lastIndexOf('@', authorityEnd - 1);
			if (at >= authorityStart) {
				int colon = part.indexOf(':', authorityStart);
				if (colon >= 0 && colon < at) {
					redacted.append(part, 0, colon + 1).append("******").append(part.substring(at));
					continue;
				}
			}
			redacted.append(part);
		}
		return redacted.toString();
	}

	/**
	 * Return whether the transport uses TLS.
	 * @return whether the transport uses TLS
	 */
	boolean isSecure() {
		return this.transport.secure;
	}

	/**
	 * Return the URI in the form Paho expects: {@code tcp}, {@code ssl}, {@code ws} or
	 * {@code wss} scheme, explicit port, and the path for WebSocket.
	 * @return the Paho server URI
	 */
	String toPahoUri() {
		String hostPart = (this.host.indexOf(':') >= 0 && !this.host.startsWith("[")) ? "[" + this.host + "]"
				: this.host;
		return this.transport.pahoScheme + "://" + hostPart + ":" + this.port + this.path;
	}

	/**
	 * Transports of MQTT.
	 */
	enum Transport {

		TCP("tcp", 1883, false, false), SSL("ssl", 8883, true, false), WS("ws", 8083, false, true),
		WSS("wss", 8084, true, true);

		private final String pahoScheme;

		private final int defaultPort;

		private final boolean secure;

		private final boolean webSocket;

		Transport(String pahoScheme, int defaultPort, boolean secure, boolean webSocket) {
			this.pahoScheme = pahoScheme;
			this.defaultPort = defaultPort;
			this.secure = secure;
			this.webSocket = webSocket;
		}

		static @Nullable Transport of(String scheme) {
			return switch (scheme.toLowerCase(Locale.ROOT)) {
				case "mqtt", "tcp" -> TCP;
				case "mqtts", "ssl" -> SSL;
				case "ws" -> WS;
				case "wss" -> WSS;
				default -> null;
			};
		}

	}

}
