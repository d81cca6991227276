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
 * The observation of an {@code @MqttListener} invocation, its error handler and the
 * sending of its reply included.
 *
 * @author mqttboot
 */
public enum MqttListenerObservation implements ObservationDocumentation {

	/**
	 * One invocation of a listener.
	 */
	LISTENER {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultMqttListenerObservationConvention.class;
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
		 * The name of the listener's connection, {@code default} for the default one.
		 */
		CONNECTION {

			@Override
			public String asString() {
				return "connection";
			}

		},

		/**
		 * The id of the listener.
		 */
		LISTENER_ID {

			@Override
			public String asString() {
				return "listener.id";
			}

		}

	}

	/**
	 * The high-cardinality keys: on spans only, never on meters.
	 */
	public enum HighCardinalityKeyNames implements KeyName {

		/**
		 * The topic the message was published to.
		 */
		TOPIC {

			@Override
			public String asString() {
				return "topic";
			}

		}

	}

}
