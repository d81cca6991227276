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
package io.mqttboot.benchmark;

/**
 * One side of the comparison: a publisher and a subscriber on the same broker.
 *
 * @author mqttboot
 */
interface BenchmarkSide extends AutoCloseable {

	/**
	 * Return the name printed in the results.
	 * @return the name
	 */
	String name();

	/**
	 * Return the topic the subscriber of this side receives messages of the given QoS
	 * and phase on.
	 * @param qos the QoS
	 * @param phase the phase
	 * @return the topic
	 */
	String topic(int qos, int phase);

	/**
	 * Route the messages the subscriber receives to the given recorder from now on.
	 * @param recorder the recorder
	 */
	void receiveWith(Recorder recorder);

	/**
	 * Publish a message, waiting for room in the in-flight window; the outcome is
	 * reported to {@code acks} when the broker acknowledged it.
	 * @param topic the topic
	 * @param payload the payload, sent as is
	 * @param qos the QoS
	 * @param acks told about the acknowledgement or failure
	 * @throws InterruptedException if interrupted while waiting for room
	 */
	void publish(String topic, byte[] payload, int qos, Acks acks) throws InterruptedException;

	/**
	 * Describe the connections and in-flight window of this side.
	 * @return the description
	 */
	String describe();

	@Override
	void close();

}
