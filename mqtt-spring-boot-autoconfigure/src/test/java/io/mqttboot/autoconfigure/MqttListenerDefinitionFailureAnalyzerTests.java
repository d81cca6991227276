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

import io.mqttboot.listener.MqttListener;
import io.mqttboot.listener.TopicVariable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MqttListenerDefinitionFailureAnalyzer}: listener definition errors
 * come as Spring Boot's failure box, naming the method, the problem and the fix.
 *
 * @author mqttboot
 */
class MqttListenerDefinitionFailureAnalyzerTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MqttAutoConfiguration.class))
		.withPropertyValues("mqtt.url=" + MqttAutoConfigurationTests.UNREACHABLE_URL);

	@Test
	void multiLevelWildcardInTheMiddleOfAFilter() {
		this.contextRunner.withBean(WildcardInTheMiddle.class).run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains("The MQTT listener "
					+ WildcardInTheMiddle.class.getName() + ".onReading cannot start")
				.contains("invalid topic filter 'sensors/#/temperature'");
			assertThat(analysis.getAction()).contains("'#' for the rest of the topic and only as the last level");
		});
	}

	@Test
	void topicVariableThatNamesNoLevel() {
		this.contextRunner.withBean(UnknownVariable.class).run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains(UnknownVariable.class.getName() + ".onReading")
				.contains("@TopicVariable(\"device\") is not a {device} level of the topic filter 'sensors/{id}'");
			assertThat(analysis.getAction()).contains("Name the variable as a {device} level");
		});
	}

	@Test
	void twoListenersWithOneId() {
		this.contextRunner.withBean(SameIds.class).run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains("Two @MqttListener methods have the id 'same'");
			assertThat(analysis.getAction()).isEqualTo("Give each listener a unique id");
		});
	}

	private static FailureAnalysis analyze(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		FailureAnalysis analysis = new MqttListenerDefinitionFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).as("analysis of %s", context.getStartupFailure()).isNotNull();
		return analysis;
	}

	static class WildcardInTheMiddle {

		@MqttListener(topics = "sensors/#/temperature")
		void onReading(String reading) {
		}

	}

	static class UnknownVariable {

		@MqttListener(topics = "sensors/{id}")
		void onReading(String reading, @TopicVariable("device") String device) {
		}

	}

	static class SameIds {

		@MqttListener(id = "same", topics = "a/#")
		void one(String payload) {
		}

		@MqttListener(id = "same", topics = "b/#")
		void two(String payload) {
		}

	}

}
