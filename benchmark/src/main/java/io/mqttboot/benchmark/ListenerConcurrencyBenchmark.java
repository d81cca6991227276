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

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.mqttboot.connection.MqttConnection;
import io.mqttboot.core.MqttTemplate;
import io.mqttboot.listener.MqttListener;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * How much {@code @MqttListener(concurrency = "4")} helps a listener that spends 1 ms per
 * message waiting (a database write, say) against the same listener with one lane: QoS 1
 * messages over 8 topics, sent as fast as the template allows, both listeners in one
 * application on embedded HiveMQ, rounds interleaved. Prints messages per second of each
 * and their ratio. Run with
 * {@code ./mvnw -q -pl benchmark spring-boot:run -Dspring-boot.run.main-class=io.mqttboot.benchmark.ListenerConcurrencyBenchmark}
 * (optional arguments: rounds, messages per round).
 *
 * @author mqttboot
 */
public final class ListenerConcurrencyBenchmark {

	private static final String PREFIX = "bench/concurrency/";

	private static final int TOPICS = 8;

	// Above the messages of a round: the broker queues what the slow listener has not taken
	// yet instead of dropping it (HiveMQ keeps 1,000 per client by default)
	private static final int MAX_QUEUED = 100_000;

	private static final long WORK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

	private ListenerConcurrencyBenchmark() {
	}

	/**
	 * Run the benchmark.
	 * @param args rounds (default 5) and messages per round (default 2000)
	 * @throws Exception on failure
	 */
	public static void main(String[] args) throws Exception {
		int rounds = (args.length > 0) ? Integer.parseInt(args[0]) : 5;
		int messages = (args.length > 1) ? Integer.parseInt(args[1]) : 2000;
		try (BenchmarkBroker broker = BenchmarkBroker.embedded(null, MAX_QUEUED)) {
			SpringApplication application = new SpringApplication(ConcurrencyApplication.class);
			application.setWebApplicationType(WebApplicationType.NONE);
			application.setBannerMode(Banner.Mode.OFF);
			application.setLogStartupInfo(false);
			try (ConfigurableApplicationContext context = application.run("--mqtt.url=" + broker.url(),
					"--mqtt.client-id=bench-concurrency", "--logging.config=classpath:" + EndToEndBenchmark.LOGBACK_CONFIG)) {
				MqttTemplate template = context.getBean(MqttTemplate.class);
				Listeners listeners = context.getBean(Listeners.class);
				awaitConnected(context.getBean(MqttConnection.class));
				List<Double> ratios = new ArrayList<>();
				System.out.printf("| round | concurrency 1 (msg/s) | concurrency 4 (msg/s) | ratio |%n|---|---|---|---|%n");
				// Round 0 warms up
				for (int round = 0; round <= rounds; round++) {
					boolean fourFirst = round % 2 == 1;
					double first = run(template, listeners, fourFirst ? "four" : "one", messages);
					double second = run(template, listeners, fourFirst ? "one" : "four", messages);
					double one = fourFirst ? second : first;
					double four = fourFirst ? first : second;
					if (round > 0) {
						ratios.add(four / one);
						System.out.printf("| %d | %.0f | %.0f | %.2f |%n", round, one, four, four / one);
					}
				}
				ratios.sort(Double::compare);
				System.out.printf("Median ratio concurrency 4 ÷ 1: %.2f over %d rounds (%d messages, %d topics, "
						+ "1 ms per message)%n", ratios.get(ratios.size() / 2), rounds, messages, TOPICS);
			}
		}
	}

	private static double run(MqttTemplate template, Listeners listeners, String listener, int messages)
			throws InterruptedException {
		CountDownLatch received = new CountDownLatch(messages);
		listeners.latch = received;
		byte[] payload = "x".repeat(100).getBytes(StandardCharsets.UTF_8);
		long start = System.nanoTime();
		for (int i = 0; i < messages; i++) {
			template.send(PREFIX + listener + "/" + (i % TOPICS), payload, 1, false);
		}
		if (!received.await(5, TimeUnit.MINUTES)) {
			throw new IllegalStateException(received.getCount() + " messages did not arrive");
		}
		return messages / ((System.nanoTime() - start) / 1e9);
	}

	private static void awaitConnected(MqttConnection connection) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (!connection.isConnected()) {
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("Not connected within 30 s");
			}
			LockSupport.parkNanos(1_000_000);
		}
	}

	/**
	 * The application: auto-configuration and the two listeners.
	 */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(Listeners.class)
	static class ConcurrencyApplication {

	}

	/**
	 * The same work on one lane and on four.
	 */
	static class Listeners {

		volatile @Nullable CountDownLatch latch;

		@MqttListener(topics = PREFIX + "one/+", qos = 1)
		void one(byte[] payload) {
			work();
		}

		@MqttListener(topics = PREFIX + "four/+", qos = 1, concurrency = "4")
		void four(byte[] payload) {
			work();
		}

		private void work() {
			// Waiting, as for a database: the thread is parked, not busy
			LockSupport.parkNanos(WORK_NANOS);
			CountDownLatch latch = this.latch;
			if (latch != null) {
				latch.countDown();
			}
		}

	}

}
