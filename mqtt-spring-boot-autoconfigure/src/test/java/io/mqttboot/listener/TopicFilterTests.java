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

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link TopicFilter}.
 *
 * @author mqttboot
 */
class TopicFilterTests {

	@Test
	void plainFilter() {
		TopicFilter filter = TopicFilter.parse("sensors/+/temperature", null);
		assertThat(filter.getSubscription()).isEqualTo("sensors/+/temperature");
		assertThat(filter.getFilter()).isEqualTo("sensors/+/temperature");
		assertThat(filter.isShared()).isFalse();
		assertThat(filter.getShareGroup()).isNull();
		assertThat(filter.getVariableNames()).isEmpty();
	}

	@Test
	void variablesAreSubscribedAsSingleLevelWildcards() {
		TopicFilter filter = TopicFilter.parse("sensors/{device}/{kind}/#", null);
		assertThat(filter.getSubscription()).isEqualTo("sensors/+/+/#");
		assertThat(filter.getVariableNames()).containsExactly("device", "kind");
		assertThat(filter.matches("sensors/kitchen/temperature/celsius")).isTrue();
		assertThat(filter.extractVariables("sensors/kitchen/temperature/celsius"))
			.containsExactly(Map.entry("device", "kitchen"), Map.entry("kind", "temperature"));
	}

	@Test
	void variableMayBeEmptyLevel() {
		TopicFilter filter = TopicFilter.parse("a/{x}/b", null);
		assertThat(filter.matches("a//b")).isTrue();
		assertThat(filter.extractVariables("a//b")).containsEntry("x", "");
	}

	@Test
	void groupMakesASharedSubscription() {
		TopicFilter filter = TopicFilter.parse("jobs/{queue}", "workers");
		assertThat(filter.getSubscription()).isEqualTo("$share/workers/jobs/+");
		assertThat(filter.getFilter()).isEqualTo("jobs/+");
		assertThat(filter.getShareGroup()).isEqualTo("workers");
		assertThat(filter.isShared()).isTrue();
		assertThat(filter.matches("jobs/email")).isTrue();
		assertThat(filter.extractVariables("jobs/email")).containsEntry("queue", "email");
	}

	@Test
	void literalSharedSubscription() {
		TopicFilter filter = TopicFilter.parse("$share/g1/a/#", null);
		assertThat(filter.getSubscription()).isEqualTo("$share/g1/a/#");
		assertThat(filter.getFilter()).isEqualTo("a/#");
		assertThat(filter.getShareGroup()).isEqualTo("g1");
		assertThat(filter.matches("a/b/c")).isTrue();
		assertThat(filter.matches("$share/g1/a/b")).isFalse();
	}

	@Test
	void brokerSpecificSharedPrefixes() {
		assertThat(TopicFilter.parse("$queue/a/+", null).getFilter()).isEqualTo("a/+");
		assertThat(TopicFilter.parse("$queue/a/+", null).isShared()).isTrue();
		TopicFilter ibm = TopicFilter.parse("$SharedSubscription/g/a", null);
		assertThat(ibm.getFilter()).isEqualTo("a");
		assertThat(ibm.getShareGroup()).isEqualTo("g");
	}

	@ParameterizedTest
	@CsvSource({ "a/b, a/b, true", "a/b, a/c, false", "a/b, a/b/c, false", "a/+, a/b, true", "a/+, a/b/c, false",
			"a/+, a, false", "a/+, a/, true", "a/#, a, true", "a/#, a/b/c, true", "#, a/b, true", "+/+, a/b, true",
			"+, /, false", "+/+, /, true", "/+, /a, true", "a/+/c, a/b/c, true", "a/+/c, a/b/d, false",
			"#, $SYS/uptime, false", "+/uptime, $SYS/uptime, false", "$SYS/#, $SYS/uptime, true",
			"a/b/#, a/b, true", "a/b/#, a/bc, false", "sport/tennis/+, sport/tennis/player1, true" })
	void matching(String filter, String topic, boolean matches) {
		assertThat(TopicFilter.parse(filter, null).matches(topic)).isEqualTo(matches);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "a/#/b", "a/b#", "a/+b", "a+/b", "#/a", "a/{x", "a/{x}y", "a/x}", "a/{x}/{x}",
			"$share/g", "$share//a", "$share/g/", "$share/g+/a", "a\u0000b", "a/{}/b" })
	void invalidFilters(String expression) {
		assertThatIllegalArgumentException().isThrownBy(() -> TopicFilter.parse(expression, null));
	}

	@Test
	void invalidFilterMessagesSayWhy() {
		assertThatIllegalArgumentException().isThrownBy(() -> TopicFilter.parse("a/#/b", null))
			.withMessageContaining("'#' must be a whole level and the last one");
		assertThatIllegalArgumentException().isThrownBy(() -> TopicFilter.parse("a/b+", null))
			.withMessageContaining("'+' must be a whole level");
		assertThatIllegalArgumentException().isThrownBy(() -> TopicFilter.parse("a/pre{x}", null))
			.withMessageContaining("a variable must be a whole level");
	}

	@ParameterizedTest
	@ValueSource(strings = { "a/b", "x/y/z" })
	void groupWithLiteralSharedSubscriptionIsRejected(String filter) {
		assertThatIllegalArgumentException().isThrownBy(() -> TopicFilter.parse("$share/g/" + filter, "other"))
			.withMessageContaining("'group' cannot be combined");
	}

	@ParameterizedTest
	@ValueSource(strings = { "a/b", "a+", "#" })
	void invalidGroups(String group) {
		assertThatIllegalArgumentException().isThrownBy(() -> TopicFilter.parse("x", group))
			.withMessageContaining("share group");
	}

	@Test
	void emptyGroupMeansNoSharedSubscription() {
		assertThat(TopicFilter.parse("x", "").isShared()).isFalse();
	}

	@Test
	void tooLongFilterIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> TopicFilter.parse("a".repeat(65536), null))
			.withMessageContaining("65535 bytes");
	}

	@ParameterizedTest
	@CsvSource({ "a/b, a/b, true", "a/b, a/c, false", "a/#, a/b/c, true", "a/+, a/b, true", "a/+, a/b/c, false",
			"+/b, a/+, true", "a/b, a/b/c, false", "#, x, true", "a/+/c, a/b/#, true", "a, a/#, true" })
	void overlapping(String first, String second, boolean overlap) {
		TopicFilter a = TopicFilter.parse(first, null);
		TopicFilter b = TopicFilter.parse(second, null);
		assertThat(a.overlaps(b)).isEqualTo(overlap);
		assertThat(b.overlaps(a)).isEqualTo(overlap);
	}

	@Test
	void equalityIsBySubscriptionAndVariables() {
		assertThat(TopicFilter.parse("a/{x}", null)).isEqualTo(TopicFilter.parse("a/{x}", null))
			.isNotEqualTo(TopicFilter.parse("a/{y}", null))
			.isNotEqualTo(TopicFilter.parse("a/{x}", "g"));
		assertThat(TopicFilter.parse("a/{x}", null)).hasSameHashCodeAs(TopicFilter.parse("a/+", null));
	}

}
