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
package io.mqttboot.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observation of an {@code MqttTemplate} send, from the send to the broker's
 * acknowledgement.
 *
 * @author mqttboot
 */
public enum MqttPublishObservation implements ObservationDocumentation {

	/**
	 * A send, buffered time included.
	 */
	PUBLISH {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultMqttPublishObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return LowCardinalityKeyNames.values();
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return HighCardinalityKeyNames.values();
		}

	};

	/**
	 * The low-cardinality keys: tags of the meters and of the spans. Micrometer's meter
	 * handler adds {@code error} to the timers: {@code none}, or the simple class name
	 * of the exception; spans get the exception itself.
	 */
	public enum LowCardinalityKeyNames implements KeyName {

		/**
		 * The name of the connection, {@code default} for the default one.
		 */
		CONNECTION {

			@Override
			public String asString() {
				return "connection";
			}

		},

		/**
		 * The QoS of the message, {@code 0}, {@code 1} or {@code 2}.
		 */
		QOS {

			@Override
			public String asString() {
				return "qos";
			}

		}

	}

	/**
	 * The high-cardinality keys: on spans only, never on meters.
	 */
	public enum HighCardinalityKeyNames implements KeyName {

		/**
		 * The topic of the message.
		 */
		TOPIC {

			@Override
			public String asString() {
				return "topic";
			}

		}

	}

}
