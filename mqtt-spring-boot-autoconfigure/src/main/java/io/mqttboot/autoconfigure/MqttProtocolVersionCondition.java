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


import io.mqttboot.connection.MqttProtocolVersion;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Chooses between the MQTT 5 and the MQTT 3.x client configuration from
 * {@code mqtt.protocol-version}. A value that is neither selects MQTT 5, whose
 * configuration then reports the bad value.
 *
 * @author mqttboot
 */
abstract class MqttProtocolVersionCondition extends SpringBootCondition {

	private final boolean v5;

	MqttProtocolVersionCondition(boolean v5) {
		this.v5 = v5;
	}

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		String value = context.getEnvironment().getProperty("mqtt.protocol-version", "5");
		MqttProtocolVersion version = MqttProtocolVersion.fromValue(value);
		boolean isV3 = version != null && !version.isV5();
		boolean matches = (this.v5) != isV3;
		String message = "mqtt.protocol-version is '" + value + "'";
		return matches ? ConditionOutcome.match(message) : ConditionOutcome.noMatch(message);
	}

	static final class OnMqttV5 extends MqttProtocolVersionCondition {

		OnMqttV5() {
			super(true);
		}

	}

	static final class OnMqttV3 extends MqttProtocolVersionCondition {

		OnMqttV3() {
			super(false);
		}

	}

}
