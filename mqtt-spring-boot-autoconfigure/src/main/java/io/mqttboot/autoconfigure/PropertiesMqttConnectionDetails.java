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

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.util.StringUtils;

/**
 * Adapts the {@link MqttConnectionProperties} of one connection to
 * {@link MqttConnectionDetails}.
 *
 * @author mqttboot
 */
class PropertiesMqttConnectionDetails implements MqttConnectionDetails {

	private final String prefix;

	private final MqttConnectionProperties properties;

	private final @Nullable SslBundles sslBundles;

	PropertiesMqttConnectionDetails(MqttConnectionProperties properties, @Nullable SslBundles sslBundles) {
		this(MqttProperties.PREFIX, properties, sslBundles);
	}

	/**
	 * Create details of a connection whose properties have the given prefix.
	 * @param prefix {@code mqtt} or {@code mqtt.connections.<name>}
	 * @param properties the properties
	 * @param sslBundles the SSL bundles, or {@code null}
	 */
	PropertiesMqttConnectionDetails(String prefix, MqttConnectionProperties properties,
			@Nullable SslBundles sslBundles) {
		this.prefix = prefix;
		this.properties = properties;
		this.sslBundles = sslBundles;
	}

	@Override
	public List<String> getUrls() {
		return Arrays.stream(StringUtils.commaDelimitedListToStringArray(this.properties.getUrl()))
			.map(String::trim)
			.filter(StringUtils::hasText)
			.toList();
	}

	@Override
	public @Nullable String getUsername() {
		return this.properties.getUsername();
	}

	@Override
	public @Nullable String getPassword() {
		return this.properties.getPassword();
	}

	@Override
	public @Nullable SslBundle getSslBundle() {
		String name = this.properties.getSsl().getBundle();
		if (!StringUtils.hasText(name)) {
			return null;
		}
		if (this.sslBundles == null) {
			throw new InvalidConfigurationPropertyValueException(this.prefix + ".ssl.bundle", name,
					"No SSL bundles are available in the application context; define the bundle under "
							+ "'spring.ssl.bundle.jks." + name + "' or 'spring.ssl.bundle.pem." + name + "'");
		}
		try {
			return this.sslBundles.getBundle(name);
		}
		catch (NoSuchSslBundleException ex) {
			List<String> names = this.sslBundles.getBundleNames().stream().sorted().toList();
			String closest = closest(name, names);
			throw new InvalidConfigurationPropertyValueException(this.prefix + ".ssl.bundle", name,
					"No SSL bundle with this name is configured"
							+ (names.isEmpty() ? "" : " (the bundles are " + names + ")")
							+ ((closest != null) ? "; did you mean '" + closest + "'?" : ".")
							+ " Define it under 'spring.ssl.bundle.jks." + name + "' or 'spring.ssl.bundle.pem." + name
							+ "', or correct the name");
		}
	}

	// The configured name nearest to a misspelled one, if it is near enough to be a typo
	private static @Nullable String closest(String name, List<String> names) {
		String closest = null;
		int best = Math.max(2, name.length() / 3) + 1;
		for (String candidate : names) {
			int distance = editDistance(name.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
			if (distance < best) {
				best = distance;
				closest = candidate;
			}
		}
		return closest;
	}

	// Levenshtein distance, with a swap of two neighbours counted as one edit
	private static int editDistance(String a, String b) {
		int[][] d = new int[a.length() + 1][b.length() + 1];
		for (int i = 0; i <= a.length(); i++) {
			d[i][0] = i;
		}
		for (int j = 0; j <= b.length(); j++) {
			d[0][j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			for (int j = 1; j <= b.length(); j++) {
				int cost = (a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1;
				d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
				if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
					d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
				}
			}
		}
		return d[a.length()][b.length()];
	}

}
