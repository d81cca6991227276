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

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import io.mqttboot.connection.MqttProtocolVersion;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties of one MQTT connection: the keys of {@code mqtt.*} that also
 * apply to each named connection under {@code mqtt.connections.<name>.*}.
 *
 * @author mqttboot
 */
public class MqttConnectionProperties {

	/**
	 * Session expiry interval meaning "never expires".
	 */
	public static final long NEVER_EXPIRES = 0xFFFFFFFFL;

	/**
	 * Broker URL: 'mqtt://' or 'tcp://' (plain TCP, port 1883), 'mqtts://' or 'ssl://'
	 * (TLS, port 8883), 'ws://' (WebSocket, port 8083) or 'wss://' (WebSocket over TLS,
	 * port 8084); WebSocket paths default to '/mqtt'. Comma-separated list of URLs for
	 * failover servers, tried in order.
	 */
	private String url = "mqtt://localhost:1883";

	/**
	 * Client identifier, used verbatim. Generated when not set:
	 * '${spring.application.name:mqtt}-' plus a random suffix, at most 23 bytes.
	 */
	private @Nullable String clientId;

	/**
	 * Login user of the broker.
	 */
	private @Nullable String username;

	/**
	 * Login password of the broker.
	 */
	private @Nullable String password;

	/**
	 * MQTT protocol version: '5', '3.1.1' or '3.1'.
	 */
	private String protocolVersion = "5";

	/**
	 * Maximum time to wait for the CONNACK of the broker before the attempt counts as
	 * failed.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration connectTimeout = Duration.ofSeconds(30);

	/**
	 * Keep-alive interval; the broker drops the client after 1.5 times this without
	 * traffic. 0 disables keep-alive. At most 65535 seconds.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration keepAlive = Duration.ofSeconds(60);

	/**
	 * Whether to discard any existing session and start a new one (MQTT 5 Clean Start,
	 * sent as Clean Session for 3.1.1 and 3.1).
	 */
	private boolean cleanStart = true;

	/**
	 * How long the session outlives the connection (MQTT 5 only): a duration (for
	 * example '1h'; a plain number means seconds) or 'never' for a session that does not
	 * expire. 0 or unset ends the session with the connection.
	 */
	private @Nullable String sessionExpiry;

	/**
	 * Whether to reconnect, with the back-off of 'reconnect', after the connection
	 * is lost. The first connection is retried in any case.
	 */
	private boolean automaticReconnect = true;

	/**
	 * Maximum number of unacknowledged QoS 1 and 2 publishes in flight. Further
	 * publishes wait for a free slot.
	 */
	private int maxInflight = 100;

	/**
	 * Where in-flight QoS 1 and 2 state is kept.
	 */
	private Persistence persistence = Persistence.MEMORY;

	/**
	 * Directory of the 'file' persistence. Defaults to 'mqtt-persistence' in the
	 * temporary directory.
	 */
	private @Nullable Path persistenceDirectory;

	private final Reconnect reconnect = new Reconnect();

	private final Will will = new Will();

	private final Ssl ssl = new Ssl();

	private final ConnectProperties connectProperties = new ConnectProperties();

	private final Template template = new Template();

	public String getUrl() {
		return this.url;
	}

	public void setUrl(String url) {
		this.url = url;
	}

	public @Nullable String getClientId() {
		return this.clientId;
	}

	public void setClientId(@Nullable String clientId) {
		this.clientId = clientId;
	}

	public @Nullable String getUsername() {
		return this.username;
	}

	public void setUsername(@Nullable String username) {
		this.username = username;
	}

	public @Nullable String getPassword() {
		return this.password;
	}

	public void setPassword(@Nullable String password) {
		this.password = password;
	}

	public String getProtocolVersion() {
		return this.protocolVersion;
	}

	public void setProtocolVersion(String protocolVersion) {
		this.protocolVersion = protocolVersion;
	}

	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
	}

	public Duration getKeepAlive() {
		return this.keepAlive;
	}

	public void setKeepAlive(Duration keepAlive) {
		this.keepAlive = keepAlive;
	}

	public boolean isCleanStart() {
		return this.cleanStart;
	}

	public void setCleanStart(boolean cleanStart) {
		this.cleanStart = cleanStart;
	}

	public @Nullable String getSessionExpiry() {
		return this.sessionExpiry;
	}

	public void setSessionExpiry(@Nullable String sessionExpiry) {
		this.sessionExpiry = sessionExpiry;
	}

	public boolean isAutomaticReconnect() {
		return this.automaticReconnect;
	}

	public void setAutomaticReconnect(boolean automaticReconnect) {
		this.automaticReconnect = automaticReconnect;
	}

	public int getMaxInflight() {
		return this.maxInflight;
	}

	public void setMaxInflight(int maxInflight) {
		this.maxInflight = maxInflight;
	}

	public Persistence getPersistence() {
		return this.persistence;
	}

	public void setPersistence(Persistence persistence) {
		this.persistence = persistence;
	}

	public @Nullable Path getPersistenceDirectory() {
		return this.persistenceDirectory;
	}

	public void setPersistenceDirectory(@Nullable Path persistenceDirectory) {
		this.persistenceDirectory = persistenceDirectory;
	}

	public Reconnect getReconnect() {
		return this.reconnect;
	}

	public Will getWill() {
		return this.will;
	}

	public Ssl getSsl() {
		return this.ssl;
	}

	public ConnectProperties getConnectProperties() {
		return this.connectProperties;
	}

	public Template getTemplate() {
		return this.template;
	}

	/**
	 * Return the configured client id, or generate one from the application name: the
	 * name, a dash and a random suffix, at most 23 bytes.
	 * @param applicationName the application name or {@code null}
	 * @return the client id
	 */
	public String determineClientId(@Nullable String applicationName) {
		String clientId = this.clientId;
		if (clientId != null) {
			return clientId;
		}
		String base = StringUtils.hasText(applicationName) ? applicationName : "mqtt";
		String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
		int room = MqttPropertiesMapper.MAX_CLIENT_ID_BYTES - suffix.length() - 1;
		StringBuilder shortened = new StringBuilder();
		for (int offset = 0; offset < base.length();) {
			int codePoint = base.codePointAt(offset);
			String character = new String(Character.toChars(codePoint));
			if (character.getBytes(StandardCharsets.UTF_8).length + utf8Length(shortened) > room) {
				break;
			}
			shortened.append(character);
			offset += Character.charCount(codePoint);
		}
		return shortened + "-" + suffix;
	}

	private static int utf8Length(CharSequence text) {
		return text.toString().getBytes(StandardCharsets.UTF_8).length;
	}

	/**
	 * Return the protocol version.
	 * @param prefix the prefix of these properties, named in a failure
	 * @return the protocol version
	 * @throws InvalidConfigurationPropertyValueException if it is none of 5, 3.1.1 and 3.1
	 */
	public MqttProtocolVersion determineProtocolVersion(String prefix) {
		String value = this.protocolVersion;
		MqttProtocolVersion version = MqttProtocolVersion.fromValue(value);
		if (version == null) {
			throw new InvalidConfigurationPropertyValueException(prefix + ".protocol-version", value,
					"Use 5, 3.1.1 or 3.1");
		}
		return version;
	}

	/**
	 * Return the MQTT 5 session expiry interval in seconds.
	 * @param prefix the prefix of these properties, named in a failure
	 * @return the interval, {@link #NEVER_EXPIRES} for 'never', or {@code null} when unset
	 * @throws InvalidConfigurationPropertyValueException if it is no duration, negative or
	 * too long
	 */
	public @Nullable Long determineSessionExpiry(String prefix) {
		String value = this.sessionExpiry;
		if (value == null || value.isBlank()) {
			return null;
		}
		if ("never".equals(value.trim().toLowerCase(Locale.ROOT))) {
			return NEVER_EXPIRES;
		}
		Duration duration;
		try {
			duration = DurationStyle.detectAndParse(value.trim(), ChronoUnit.SECONDS);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(prefix + ".session-expiry", value,
					"Use a duration such as 3600, 1h or 7d, or the word 'never'");
		}
		if (duration.isNegative()) {
			throw new InvalidConfigurationPropertyValueException(prefix + ".session-expiry", value,
					"The session expiry must not be negative. Use 0 to end the session with the connection, "
							+ "a positive duration, or 'never'");
		}
		if (duration.getSeconds() >= NEVER_EXPIRES) {
			throw new InvalidConfigurationPropertyValueException(prefix + ".session-expiry", value,
					"The session expiry must be less than 4294967295 seconds; use 'never' for a session that "
							+ "does not expire");
		}
		return MqttPropertiesMapper.ceilSeconds(duration);
	}

	/**
	 * Return the directory of the 'file' persistence: the configured one, or
	 * 'mqtt-persistence' in the temporary directory.
	 * @return the directory
	 */
	public Path determinePersistenceDirectory() {
		Path directory = this.persistenceDirectory;
		return (directory != null) ? directory : Path.of(System.getProperty("java.io.tmpdir"), "mqtt-persistence");
	}

	/**
	 * Where in-flight QoS 1 and 2 state is kept.
	 */
	public enum Persistence {

		/**
		 * In memory: lost when the application stops.
		 */
		MEMORY,

		/**
		 * In files under 'persistence-directory': survives a restart.
		 */
		FILE

	}

	/**
	 * Back-off between connection attempts.
	 */
	public static class Reconnect {

		/**
		 * Delay before the first reconnect attempt; doubled after each failed attempt. A
		 * plain number means seconds.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration minDelay = Duration.ofSeconds(1);

		/**
		 * Upper bound of the delay between reconnect attempts. A plain number means seconds.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration maxDelay = Duration.ofMinutes(2);

		public Duration getMinDelay() {
			return this.minDelay;
		}

		public void setMinDelay(Duration minDelay) {
			this.minDelay = minDelay;
		}

		public Duration getMaxDelay() {
			return this.maxDelay;
		}

		public void setMaxDelay(Duration maxDelay) {
			this.maxDelay = maxDelay;
		}

	}

	/**
	 * Last Will and Testament, published by the broker when the connection ends
	 * abnormally.
	 */
	public static class Will {

		/**
		 * Topic of the will message. No will is sent when unset.
		 */
		private @Nullable String topic;

		/**
		 * Payload of the will message, as UTF-8 text.
		 */
		private String payload = "";

		/**
		 * QoS of the will message.
		 */
		private int qos = 0;

		/**
		 * Whether the broker keeps the will as the retained message of its topic.
		 */
		private boolean retain = false;

		/**
		 * How long the broker waits before publishing the will (MQTT 5 only).
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private @Nullable Duration delayInterval;

		/**
		 * Lifetime of the will message on the broker (MQTT 5 only).
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private @Nullable Duration messageExpiry;

		/**
		 * Content type of the will payload (MQTT 5 only).
		 */
		private @Nullable String contentType;

		/**
		 * User properties of the will message (MQTT 5 only).
		 */
		private Map<String, String> userProperties = new LinkedHashMap<>();

		public @Nullable String getTopic() {
			return this.topic;
		}

		public void setTopic(@Nullable String topic) {
			this.topic = topic;
		}

		public String getPayload() {
			return this.payload;
		}

		public void setPayload(String payload) {
			this.payload = payload;
		}

		public int getQos() {
			return this.qos;
		}

		public void setQos(int qos) {
			this.qos = qos;
		}

		public boolean isRetain() {
			return this.retain;
		}

		public void setRetain(boolean retain) {
			this.retain = retain;
		}

		public @Nullable Duration getDelayInterval() {
			return this.delayInterval;
		}

		public void setDelayInterval(@Nullable Duration delayInterval) {
			this.delayInterval = delayInterval;
		}

		public @Nullable Duration getMessageExpiry() {
			return this.messageExpiry;
		}

		public void setMessageExpiry(@Nullable Duration messageExpiry) {
			this.messageExpiry = messageExpiry;
		}

		public @Nullable String getContentType() {
			return this.contentType;
		}

		public void setContentType(@Nullable String contentType) {
			this.contentType = contentType;
		}

		public Map<String, String> getUserProperties() {
			return this.userProperties;
		}

		public void setUserProperties(Map<String, String> userProperties) {
			this.userProperties = userProperties;
		}

	}

	/**
	 * TLS settings.
	 */
	public static class Ssl {

		/**
		 * Name of the SSL bundle ('spring.ssl.bundle.*'): its trust material verifies the
		 * broker, its key material, when present, is the client certificate (mutual TLS).
		 * Without a bundle, a TLS URL uses the default trust store of the JVM.
		 */
		private @Nullable String bundle;

		/**
		 * Whether to check that the broker certificate matches the host name of the URL.
		 */
		private boolean verifyHostname = true;

		public @Nullable String getBundle() {
			return this.bundle;
		}

		public void setBundle(@Nullable String bundle) {
			this.bundle = bundle;
		}

		public boolean isVerifyHostname() {
			return this.verifyHostname;
		}

		public void setVerifyHostname(boolean verifyHostname) {
			this.verifyHostname = verifyHostname;
		}

	}

	/**
	 * MQTT 5 CONNECT properties.
	 */
	public static class ConnectProperties {

		/**
		 * Maximum number of QoS 1 and 2 publishes the client processes at once.
		 */
		private @Nullable Integer receiveMaximum;

		/**
		 * Maximum packet size, in bytes, the client accepts.
		 */
		private @Nullable Long maximumPacketSize;

		/**
		 * Highest topic alias the client accepts from the broker; 0 disables aliases.
		 */
		private @Nullable Integer topicAliasMaximum;

		/**
		 * Whether to ask the broker for response information in the CONNACK.
		 */
		private @Nullable Boolean requestResponseInformation;

		/**
		 * Whether the broker may send reason strings and user properties on failures.
		 */
		private @Nullable Boolean requestProblemInformation;

		/**
		 * User properties of the CONNECT packet.
		 */
		private Map<String, String> userProperties = new LinkedHashMap<>();

		public @Nullable Integer getReceiveMaximum() {
			return this.receiveMaximum;
		}

		public void setReceiveMaximum(@Nullable Integer receiveMaximum) {
			this.receiveMaximum = receiveMaximum;
		}

		public @Nullable Long getMaximumPacketSize() {
			return this.maximumPacketSize;
		}

		public void setMaximumPacketSize(@Nullable Long maximumPacketSize) {
			this.maximumPacketSize = maximumPacketSize;
		}

		public @Nullable Integer getTopicAliasMaximum() {
			return this.topicAliasMaximum;
		}

		public void setTopicAliasMaximum(@Nullable Integer topicAliasMaximum) {
			this.topicAliasMaximum = topicAliasMaximum;
		}

		public @Nullable Boolean getRequestResponseInformation() {
			return this.requestResponseInformation;
		}

		public void setRequestResponseInformation(@Nullable Boolean requestResponseInformation) {
			this.requestResponseInformation = requestResponseInformation;
		}

		public @Nullable Boolean getRequestProblemInformation() {
			return this.requestProblemInformation;
		}

		public void setRequestProblemInformation(@Nullable Boolean requestProblemInformation) {
			this.requestProblemInformation = requestProblemInformation;
		}

		public Map<String, String> getUserProperties() {
			return this.userProperties;
		}

		public void setUserProperties(Map<String, String> userProperties) {
			this.userProperties = userProperties;
		}

		boolean isEmpty() {
			return this.receiveMaximum == null && this.maximumPacketSize == null && this.topicAliasMaximum == null
					&& this.requestResponseInformation == null && this.requestProblemInformation == null
					&& this.userProperties.isEmpty();
		}

	}

	/**
	 * Defaults of the MqttTemplate.
	 */
	public static class Template {

		/**
		 * QoS of messages sent without an explicit QoS.
		 */
		private int defaultQos = 1;

		/**
		 * Whether messages sent without an explicit flag are retained.
		 */
		private boolean defaultRetain = false;

		/**
		 * The longest a send's future waits for the broker's acknowledgement, buffered
		 * time included. A plain number means seconds.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration sendTimeout = Duration.ofSeconds(30);

		private final Buffer buffer = new Buffer();

		public Duration getSendTimeout() {
			return this.sendTimeout;
		}

		public void setSendTimeout(Duration sendTimeout) {
			this.sendTimeout = sendTimeout;
		}

		public Buffer getBuffer() {
			return this.buffer;
		}

		/**
		 * Sends made while the connection is down.
		 */
		public static class Buffer {

			/**
			 * Most sends that wait, in order, while the connection is down (before the
			 * first connection, during an outage) and go out once it is up. 0 fails such
			 * sends at once.
			 */
			private int maxMessages = 10_000;

			/**
			 * Most payload bytes that wait in the buffer.
			 */
			private DataSize maxBytes = DataSize.ofMegabytes(16);

			public int getMaxMessages() {
				return this.maxMessages;
			}

			public void setMaxMessages(int maxMessages) {
				this.maxMessages = maxMessages;
			}

			public DataSize getMaxBytes() {
				return this.maxBytes;
			}

			public void setMaxBytes(DataSize maxBytes) {
				this.maxBytes = maxBytes;
			}

		}

		public int getDefaultQos() {
			return this.defaultQos;
		}

		public void setDefaultQos(int defaultQos) {
			this.defaultQos = defaultQos;
		}

		public boolean isDefaultRetain() {
			return this.defaultRetain;
		}

		public void setDefaultRetain(boolean defaultRetain) {
			this.defaultRetain = defaultRetain;
		}

	}

}
