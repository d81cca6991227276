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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

import io.mqttboot.connection.MqttProtocolVersion;
import io.mqttboot.connection.ReconnectSettings;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.util.StringUtils;

/**
 * Checks the properties and connection details of one connection once, across each
 * other, and derives the values the version-specific configurers give to Paho: server
 * URIs, socket factory, timeouts and reconnect settings, with the protocol version,
 * session expiry and persistence directory that the properties determine. Every bad value
 * fails with a message that names the property, the value and the fix (never the
 * password).
 *
 * @author mqttboot
 */
final class MqttPropertiesMapper {

	private static final Log logger = LogFactory.getLog(MqttPropertiesMapper.class);

	private static final long MAX_KEEP_ALIVE_SECONDS = 65535;

	static final int MAX_CLIENT_ID_BYTES = 23;

	private final String prefix;

	private final MqttConnectionProperties properties;

	private final MqttConnectionDetails details;

	private final MqttProtocolVersion protocolVersion;

	private final List<MqttUrl> urls;

	private final @Nullable SslBundle sslBundle;

	private final @Nullable Long sessionExpiry;

	/**
	 * Create a mapper of the default connection ({@code mqtt.*}).
	 * @param properties the properties
	 * @param details the connection details
	 */
	MqttPropertiesMapper(MqttConnectionProperties properties, MqttConnectionDetails details) {
		this(MqttProperties.PREFIX, properties, details);
	}

	/**
	 * Create a mapper of a connection whose properties have the given prefix.
	 * @param prefix the prefix of the connection's properties, {@code mqtt} or
	 * {@code mqtt.connections.<name>}, named in every failure
	 * @param properties the properties
	 * @param details the connection details
	 */
	MqttPropertiesMapper(String prefix, MqttConnectionProperties properties, MqttConnectionDetails details) {
		this.prefix = prefix;
		this.properties = properties;
		this.details = details;
		this.protocolVersion = properties.determineProtocolVersion(prefix);
		this.urls = determineUrls(details.getUrls());
		this.sslBundle = details.getSslBundle();
		this.sessionExpiry = properties.determineSessionExpiry(prefix);
		validate();
	}

	MqttConnectionProperties properties() {
		return this.properties;
	}

	MqttConnectionDetails details() {
		return this.details;
	}

	MqttProtocolVersion protocolVersion() {
		return this.protocolVersion;
	}

	String[] serverUris() {
		return this.urls.stream().map(MqttUrl::toPahoUri).toArray(String[]::new);
	}

	@Nullable Long sessionExpiry() {
		return this.sessionExpiry;
	}

	int connectTimeoutSeconds() {
		return (int) Math.min(Integer.MAX_VALUE, ceilSeconds(this.properties.getConnectTimeout()));
	}

	int keepAliveSeconds() {
		return (int) ceilSeconds(this.properties.getKeepAlive());
	}

	/**
	 * Return the socket factory: for TLS URLs the SSL bundle's, or the JVM's default
	 * without a bundle; for plain URLs plain sockets with buffered reads. Either way
	 * {@code TCP_NODELAY} is set on its sockets (see {@link ClientSocketFactories}).
	 * {@code null} (Paho's defaults) for a mix of plain and TLS URLs.
	 * @return the socket factory or {@code null}
	 */
	@Nullable SocketFactory socketFactory() {
		if (this.urls.stream().allMatch(MqttUrl::isSecure)) {
			SSLSocketFactory tls = (this.sslBundle != null) ? this.sslBundle.createSslContext().getSocketFactory()
					: (SSLSocketFactory) SSLSocketFactory.getDefault();
			return ClientSocketFactories.tls(tls);
		}
		if (this.urls.stream().noneMatch(MqttUrl::isSecure)) {
			return ClientSocketFactories.plain();
		}
		return null;
	}

	ReconnectSettings reconnectSettings() {
		MqttConnectionProperties.Reconnect reconnect = this.properties.getReconnect();
		return new ReconnectSettings(this.properties.isAutomaticReconnect(), reconnect.getMinDelay(),
				reconnect.getMaxDelay(), this.properties.getConnectTimeout(),
				ReconnectSettings.stablePeriodFor(Duration.ofSeconds(keepAliveSeconds())));
	}

	private List<MqttUrl> determineUrls(List<String> urls) {
		if (urls.isEmpty()) {
			throw new InvalidConfigurationPropertyValueException(this.prefix + ".url", "",
					"Set at least one broker URL, for example mqtt://localhost:1883");
		}
		List<MqttUrl> parsed = new ArrayList<>(urls.size());
		for (String url : urls) {
			parsed.add(MqttUrl.parse(this.prefix + ".url", url));
		}
		return List.copyOf(parsed);
	}

	private void validate() {
		MqttConnectionProperties properties = this.properties;
		requireNotNegative(this.prefix + ".connect-timeout", properties.getConnectTimeout());
		requireNotNegative(this.prefix + ".keep-alive", properties.getKeepAlive());
		if (ceilSeconds(properties.getKeepAlive()) > MAX_KEEP_ALIVE_SECONDS) {
			throw new InvalidConfigurationPropertyValueException(this.prefix + ".keep-alive", properties.getKeepAlive(),
					"MQTT allows at most 65535 seconds (about 18 hours); use a shorter keep-alive, or 0 to disable it");
		}
		MqttConnectionProperties.Reconnect reconnect = properties.getReconnect();
		requireNotNegative(this.prefix + ".reconnect.min-delay", reconnect.getMinDelay());
		requireNotNegative(this.prefix + ".reconnect.max-delay", reconnect.getMaxDelay());
		if (reconnect.getMinDelay().isZero()) {
			throw new InvalidConfigurationPropertyValueException(this.prefix + ".reconnect.min-delay", reconnect.getMinDelay(),
					"The delay must be positive (a zero delay would retry in a tight loop); use for example 1s");
		}
		if (reconnect.getMinDelay().compareTo(reconnect.getMaxDelay()) > 0) {
			throw new InvalidConfigurationPropertyValueException(this.prefix + ".reconnect.min-delay", reconnect.getMinDelay(),
					"The minimum delay must not exceed " + this.prefix + ".reconnect.max-delay (" + reconnect.getMaxDelay()
							+ "); lower it or raise the maximum");
		}
		if (properties.getMaxInflight() < 1) {
			throw new InvalidConfigurationPropertyValueException(this.prefix + ".max-inflight", properties.getMaxInflight(),
					"Use a positive number, for example 100");
		}
		requireQos(this.prefix + ".template.default-qos", properties.getTemplate().getDefaultQos());
		validateClientId(properties.getClientId());
		validateWill(properties.getWill());
		validateConnectProperties(properties.getConnectProperties());
		validateSsl();
		validateVersionSpecific();
		validatePersistence();
		if (this.protocolVersion.isV5() && !properties.isCleanStart() && this.sessionExpiry == null) {
			logger.warn(this.prefix + ".clean-start is false but " + this.prefix + ".session-expiry is not set: with MQTT 5 an unset "
					+ "session expiry is 0, so the broker ends the session when the connection closes. Set "
					+ this.prefix + ".session-expiry (for example 1h or never) to keep the session.");
		}
	}

	private void validateClientId(@Nullable String clientId) {
		if (clientId == null) {
			return;
		}
		if (this.protocolVersion == MqttProtocolVersion.V3_1
				&& clientId.getBytes(StandardCharsets.UTF_8).length > MAX_CLIENT_ID_BYTES) {
			throw new InvalidConfigurationPropertyValueException(this.prefix + ".client-id", clientId,
					"MQTT 3.1 allows at most 23 bytes of client id; shorten it, or use " + this.prefix + ".protocol-version 3.1.1 "
							+ "or 5");
		}
		if (clientId.isEmpty() && !this.properties.isCleanStart()) {
			throw new InvalidConfigurationPropertyValueException(this.prefix + ".client-id", clientId,
					"A persistent session (" + this.prefix + ".clean-start=false) needs a fixed client id; set one");
		}
	}

	private void validateWill(MqttConnectionProperties.Will will) {
		requireQos(this.prefix + ".will.qos", will.getQos());
		requireNotNegative(this.prefix + ".will.delay-interval", will.getDelayInterval());
		requireNotNegative(this.prefix + ".will.message-expiry", will.getMessageExpiry());
		String topic = will.getTopic();
		if (topic == null) {
			if (StringUtils.hasLength(will.getPayload()) || will.getQos() != 0 || will.isRetain()
					|| hasV5WillProperties(will)) {
				throw new MqttConfigurationException(
						this.prefix + ".will properties are set but " + this.prefix + ".will.topic is not, so no will would be sent.",
						"Set " + this.prefix + ".will.topic, or remove the other " + this.prefix + ".will properties.");
			}
			return;
		}
		if (topic.isEmpty()) {
			throw new InvalidConfigurationPropertyValueException(this.prefix + ".will.topic", topic,
					"A will topic must not be empty; set a topic name or remove the property");
		}
		if (topic.contains("+") || topic.contains("#")) {
			throw new InvalidConfigurationPropertyValueException(this.prefix + ".will.topic", topic,
					"A will is published to a topic name, not a filter: remove the wildcards '+' and '#'");
		}
	}

	private static boolean hasV5WillProperties(MqttConnectionProperties.Will will) {
		return will.getDelayInterval() != null || will.getMessageExpiry() != null || will.getContentType() != null
				|| !will.getUserProperties().isEmpty();
	}

	private void validateConnectProperties(MqttConnectionProperties.ConnectProperties connect) {
		if (connect.getReceiveMaximum() != null
				&& (connect.getReceiveMaximum() < 1 || connect.getReceiveMaximum() > 65535)) {
			throw new InvalidConfigurationPropertyValueException(this.prefix + ".connect-properties.receive-maximum",
					connect.getReceiveMaximum(), "Use a value from 1 to 65535");
		}
		if (connect.getTopicAliasMaximum() != null
				&& (connect.getTopicAliasMaximum() < 0 || connect.getTopicAliasMaximum() > 65535)) {
			throw new InvalidConfigurationPropertyValueException(this.prefix + ".connect-properties.topic-alias-maximum",
					connect.getTopicAliasMaximum(), "Use a value from 0 to 65535");
		}
		if (connect.getMaximumPacketSize() != null
				&& (connect.getMaximumPacketSize() < 1 || connect.getMaximumPacketSize() > 268435455L)) {
			throw new InvalidConfigurationPropertyValueException(this.prefix + ".connect-properties.maximum-packet-size",
					connect.getMaximumPacketSize(), "Use a size in bytes from 1 to 268435455");
		}
	}

	private void validateSsl() {
		String bundle = this.properties.getSsl().getBundle();
		// The bundle of the connection details: a service connection or the embedded broker
		// may supply details without one, whatever mqtt.ssl.bundle says.
		if (this.sslBundle != null) {
			for (MqttUrl url : this.urls) {
				if (!url.isSecure()) {
					throw new MqttConfigurationException(this.prefix + ".ssl.bundle is set"
							+ (StringUtils.hasText(bundle) ? " to '" + bundle + "'" : "") + " but the broker URL '" + url.toPahoUri()
							+ "' uses a plain scheme, so the bundle would be ignored.",
							"Use an mqtts:// or wss:// URL in " + this.prefix + ".url, or remove " + this.prefix + ".ssl.bundle.");
				}
			}
		}
		if (!this.properties.getSsl().isVerifyHostname() && this.urls.stream().anyMatch(MqttUrl::isSecure)) {
			logger.warn(this.prefix + ".ssl.verify-hostname is false: the broker certificate is not checked against the "
					+ "host name, which allows man-in-the-middle attacks. Prefer a certificate whose subject "
					+ "alternative names include the host.");
		}
	}

	private void validateVersionSpecific() {
		if (this.protocolVersion.isV5()) {
			return;
		}
		String version = this.protocolVersion.value();
		if (this.sessionExpiry != null) {
			throw v5Only(this.prefix + ".session-expiry", version,
					"With 3.x, " + this.prefix + ".clean-start=false keeps the session until the broker expires it.");
		}
		if (!this.properties.getConnectProperties().isEmpty()) {
			throw v5Only(this.prefix + ".connect-properties", version, "");
		}
		MqttConnectionProperties.Will will = this.properties.getWill();
		if (will.getDelayInterval() != null) {
			throw v5Only(this.prefix + ".will.delay-interval", version, "");
		}
		if (will.getMessageExpiry() != null) {
			throw v5Only(this.prefix + ".will.message-expiry", version, "");
		}
		if (will.getContentType() != null) {
			throw v5Only(this.prefix + ".will.content-type", version, "");
		}
		if (!will.getUserProperties().isEmpty()) {
			throw v5Only(this.prefix + ".will.user-properties", version, "");
		}
	}

	private MqttConfigurationException v5Only(String property, String version, String hint) {
		return new MqttConfigurationException(
				property + " is an MQTT 5 property, but " + this.prefix + ".protocol-version is " + version + ".",
				("Set " + this.prefix + ".protocol-version to 5, or remove " + property + ". " + hint).trim());
	}

	private void validatePersistence() {
		if (this.properties.getPersistence() != MqttConnectionProperties.Persistence.FILE) {
			return;
		}
		Path directory = this.properties.determinePersistenceDirectory();
		try {
			Files.createDirectories(directory);
		}
		catch (IOException ex) {
			throw new InvalidConfigurationPropertyValueException(this.prefix + ".persistence-directory", directory,
					"The directory cannot be created (" + ex.getMessage() + "); choose a writable directory");
		}
		if (!Files.isWritable(directory)) {
			throw new InvalidConfigurationPropertyValueException(this.prefix + ".persistence-directory", directory,
					"The directory is not writable; choose a writable directory");
		}
	}

	private void requireQos(String property, int qos) {
		if (qos < 0 || qos > 2) {
			throw new InvalidConfigurationPropertyValueException(property, qos, "QoS must be 0, 1 or 2");
		}
	}

	private void requireNotNegative(String property, @Nullable Duration duration) {
		if (duration != null && duration.isNegative()) {
			throw new InvalidConfigurationPropertyValueException(property, duration,
					"The duration must not be negative; use 0 or a positive duration such as 30s");
		}
	}

	static long ceilSeconds(Duration duration) {
		long seconds = duration.getSeconds();
		return (duration.getNano() > 0) ? seconds + 1 : seconds;
	}

}
