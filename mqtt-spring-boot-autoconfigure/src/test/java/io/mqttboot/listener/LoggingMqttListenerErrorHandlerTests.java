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
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LoggingMqttListenerErrorHandler}: one line per failure, without the
 * payload, rate-limited per listener; JSON failures name the path and the position.
 *
 * @author mqttboot
 */
@ExtendWith(OutputCaptureExtension.class)
class LoggingMqttListenerErrorHandlerTests {

	private final LoggingMqttListenerErrorHandler handler = new LoggingMqttListenerErrorHandler();

	private final Message<byte[]> message = MessageBuilder.withPayload("secret".getBytes(StandardCharsets.UTF_8))
		.build();

	@Test
	void aThousandFailuresOfOneListenerLogAHandfulOfLines(CapturedOutput output) {
		for (int i = 0; i < 1000; i++) {
			this.handler.handleError(this.message, failure("noisy", new IllegalStateException("boom " + i)));
		}
		this.handler.handleError(this.message, failure("quiet", new IllegalStateException("once")));
		long noisyLines = Arrays.stream(output.getOut().split("\n")).filter((line) -> line.contains("'noisy'")).count();
		assertThat(noisyLines).isEqualTo(LoggingMqttListenerErrorHandler.LOGGED_IN_FULL + 1);
		assertThat(output).contains("boom 0").contains("boom 9").doesNotContain("boom 11")
			.contains("MQTT listener 'noisy' failed 11 times within a minute: its further failures of this minute are "
					+ "counted")
			.contains("MQTT listener 'quiet' could not process a message from topic 'sensors/x'")
			.doesNotContain("secret");
	}

	@Test
	void aJsonFailureNamesThePathAndThePositionButNotThePayload(CapturedOutput output) {
		Exception json = null;
		try {
			JsonMapper.shared().readValue("{\"room\": \"hall\", \"celsius\": \"warm-secret\"}", Reading.class);
		}
		catch (Exception ex) {
			json = ex;
		}
		assertThat(json).isNotNull();
		this.handler.handleError(this.message, new MqttListenerExecutionFailedException("readings", "sensors/x",
				Reading.class.getName(), true, json));
		assertThat(output).contains("MQTT listener 'readings' could not process a message from topic 'sensors/x'")
			.contains("(target type " + Reading.class.getName() + ")")
			.contains("at JSON path " + Reading.class.getName() + "[\"celsius\"], line 1, column")
			.doesNotContain("warm-secret");
	}

	@Test
	void aPayloadThatIsNoJsonAtAllNamesThePositionButNotThePayload(CapturedOutput output) {
		Exception json = null;
		try {
			JsonMapper.shared().readValue("warm-secret", Reading.class);
		}
		catch (Exception ex) {
			json = ex;
		}
		assertThat(json).isNotNull();
		this.handler.handleError(this.message, new MqttListenerExecutionFailedException("readings", "sensors/x",
				Reading.class.getName(), true, json));
		assertThat(output).contains("at the top level of the JSON document, line 1, column")
			.doesNotContain("JSON path ,")
			.doesNotContain("warm-secret");
	}

	private static MqttListenerExecutionFailedException failure(String listener, Exception cause) {
		return new MqttListenerExecutionFailedException(listener, "sensors/x", "java.lang.String", false, cause);
	}

	record Reading(String room, double celsius) {
	}

}
