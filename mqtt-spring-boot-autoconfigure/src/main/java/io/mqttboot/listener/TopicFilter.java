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
package io.mqttboot.listener;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;

/**
 * An MQTT topic filter as written on a listener: validated, with its {@code {name}}
 * variables (subscribed as {@code +}) and its shared-subscription prefix
 * ({@code $share/<group>/}, or the broker-specific {@code $queue/} and
 * {@code $SharedSubscription/<group>/}). Matches topic names and extracts the variables.
 *
 * @author mqttboot
 */
final class TopicFilter {

	private static final String SHARE = "$share/";

	private static final List<String> GROUPLESS_SHARE_PREFIXES = List.of("$queue/");

	private static final List<String> GROUP_SHARE_PREFIXES = List.of(SHARE, "$SharedSubscription/");

	private static final int MAX_LENGTH = 65535;

	private final String subscription;

	private final String filter;

	private final @Nullable String shareGroup;

	private final String[] levels;

	private final Map<String, Integer> variables;

	private TopicFilter(String subscription, String filter, @Nullable String shareGroup,
			Map<String, Integer> variables) {
		this.subscription = subscription;
		this.filter = filter;
		this.shareGroup = shareGroup;
		this.levels = split(filter);
		this.variables = Collections.unmodifiableMap(variables);
	}

	/**
	 * Parse a topic filter written on a listener.
	 * @param expression the filter, possibly with {@code {name}} levels and a shared
	 * subscription prefix
	 * @param group the share group from the listener's {@code group} attribute, or
	 * {@code null}
	 * @return the filter
	 * @throws IllegalArgumentException if the filter or the group is invalid; the message
	 * says why
	 */
	static TopicFilter parse(String expression, @Nullable String group) {
		if (!StringUtils.hasLength(expression)) {
			throw new IllegalArgumentException("a topic filter must not be empty");
		}
		String prefix = "";
		String shareGroup = null;
		String rest = expression;
		for (String candidate : GROUP_SHARE_PREFIXES) {
			if (expression.startsWith(candidate)) {
				int slash = expression.indexOf('/', candidate.length());
				if (slash < 0) {
					throw new IllegalArgumentException(
							"a shared subscription needs a group and a filter: " + candidate + "<group>/<filter>");
				}
				shareGroup = expression.substring(candidate.length(), slash);
				validateGroup(shareGroup);
				prefix = candidate + shareGroup + "/";
				rest = expression.substring(slash + 1);
			}
		}
		for (String candidate : GROUPLESS_SHARE_PREFIXES) {
			if (expression.startsWith(candidate)) {
				prefix = candidate;
				rest = expression.substring(candidate.length());
			}
		}
		if (StringUtils.hasLength(group)) {
			if (!prefix.isEmpty()) {
				throw new IllegalArgumentException("'group' cannot be combined with a filter that already is a "
						+ "shared subscription ('" + prefix + "...')");
			}
			validateGroup(group);
			shareGroup = group;
			prefix = SHARE + group + "/";
		}
		if (rest.isEmpty()) {
			throw new IllegalArgumentException("the filter after '" + prefix + "' must not be empty");
		}
		Map<String, Integer> variables = new LinkedHashMap<>();
		String[] levels = split(rest);
		for (int i = 0; i < levels.length; i++) {
			String level = levels[i];
			if (level.startsWith("{") && level.endsWith("}") && level.length() > 2) {
				String name = level.substring(1, level.length() - 1);
				validateVariableName(name);
				if (variables.putIfAbsent(name, i) != null) {
					throw new IllegalArgumentException("the variable '{" + name + "}' appears twice");
				}
				levels[i] = "+";
			}
			else if (level.indexOf('{') >= 0 || level.indexOf('}') >= 0) {
				throw new IllegalArgumentException(
						"a variable must be a whole level, like 'a/{name}/b', not '" + level + "'");
			}
		}
		String filter = String.join("/", levels);
		validate(filter);
		String subscription = prefix + filter;
		if (subscription.getBytes(StandardCharsets.UTF_8).length > MAX_LENGTH) {
			throw new IllegalArgumentException("a topic filter must not be longer than 65535 bytes");
		}
		return new TopicFilter(subscription, filter, shareGroup, variables);
	}

	private static void validate(String filter) {
		if (filter.indexOf('\u0000') >= 0) {
			throw new IllegalArgumentException("a topic filter must not contain the null character");
		}
		String[] levels = split(filter);
		for (int i = 0; i < levels.length; i++) {
			String level = levels[i];
			if (level.indexOf('#') >= 0 && (!level.equals("#") || i != levels.length - 1)) {
				throw new IllegalArgumentException("'#' must be a whole level and the last one, like 'a/#'");
			}
			if (level.indexOf('+') >= 0 && !level.equals("+")) {
				throw new IllegalArgumentException("'+' must be a whole level, like 'a/+/b'");
			}
		}
	}

	private static void validateGroup(String group) {
		if (group.isEmpty()) {
			throw new IllegalArgumentException("a share group must not be empty");
		}
		if (group.indexOf('/') >= 0 || group.indexOf('+') >= 0 || group.indexOf('#') >= 0) {
			throw new IllegalArgumentException("a share group must not contain '/', '+' or '#': '" + group + "'");
		}
	}

	private static void validateVariableName(String name) {
		for (char c : name.toCharArray()) {
			if (c == '+' || c == '#' || c == '{' || c == '}' || Character.isWhitespace(c)) {
				throw new IllegalArgumentException("invalid variable name '" + name + "'");
			}
		}
	}

	private static String[] split(String filter) {
		return filter.split("/", -1);
	}

	/**
	 * Return the filter as sent in SUBSCRIBE, with its shared-subscription prefix and
	 * {@code +} in place of variables.
	 * @return the subscription topic filter
	 */
	String getSubscription() {
		return this.subscription;
	}

	/**
	 * Return the filter that topic names are matched against: without the
	 * shared-subscription prefix, {@code +} in place of variables.
	 * @return the matching filter
	 */
	String getFilter() {
		return this.filter;
	}

	/**
	 * Return the share group, or {@code null} when this is not a shared subscription
	 * with a group.
	 * @return the share group
	 */
	@Nullable String getShareGroup() {
		return this.shareGroup;
	}

	/**
	 * Return whether this is a shared subscription.
	 * @return whether this is a shared subscription
	 */
	boolean isShared() {
		return !this.subscription.equals(this.filter);
	}

	/**
	 * Return the names of the {@code {name}} variables, in order.
	 * @return the variable names
	 */
	Set<String> getVariableNames() {
		return this.variables.keySet();
	}

	/**
	 * Return whether a topic name matches this filter, following the MQTT rules: a
	 * topic starting with {@code $} is not matched by a filter starting with a wildcard.
	 * @param topic the topic name of a message
	 * @return whether it matches
	 */
	boolean matches(String topic) {
		if (topic.startsWith("$") && (this.levels[0].equals("+") || this.levels[0].equals("#"))) {
			return false;
		}
		// Walks the topic without splitting it: this runs for every inbound message.
		int length = topic.length();
		int start = 0;
		for (String level : this.levels) {
			if (level.equals("#")) {
				return true;
			}
			if (start > length) {
				return false;
			}
			int end = topic.indexOf('/', start);
			if (end < 0) {
				end = length;
			}
			if (!level.equals("+")
					&& (end - start != level.length() || !topic.regionMatches(start, level, 0, level.length()))) {
				return false;
			}
			start = end + 1;
		}
		return start > length;
	}

	/**
	 * Return the values of the variables in a topic name that matches this filter.
	 * @param topic the topic name
	 * @return the values by variable name; empty if there are no variables
	 */
	Map<String, String> extractVariables(String topic) {
		if (this.variables.isEmpty()) {
			return Collections.emptyMap();
		}
		String[] topicLevels = split(topic);
		Map<String, String> values = new LinkedHashMap<>();
		this.variables.forEach((name, index) -> {
			if (index < topicLevels.length) {
				values.put(name, topicLevels[index]);
			}
		});
		return values;
	}

	/**
	 * Return whether two filters may match the same topic name (ignoring shared
	 * subscription prefixes).
	 * @param other the other filter
	 * @return whether they overlap
	 */
	boolean overlaps(TopicFilter other) {
		String[] a = this.levels;
		String[] b = other.levels;
		for (int i = 0;; i++) {
			boolean aEnd = i >= a.length;
			boolean bEnd = i >= b.length;
			if ((!aEnd && a[i].equals("#")) || (!bEnd && b[i].equals("#"))) {
				return true;
			}
			if (aEnd || bEnd) {
				return aEnd && bEnd;
			}
			if (!a[i].equals("+") && !b[i].equals("+") && !a[i].equals(b[i])) {
				return false;
			}
		}
	}

	@Override
	public boolean equals(@Nullable Object obj) {
		return (obj instanceof TopicFilter other) && this.subscription.equals(other.subscription)
				&& this.variables.equals(other.variables);
	}

	@Override
	public int hashCode() {
		return this.subscription.hashCode();
	}

	@Override
	public String toString() {
		return this.subscription;
	}

}
