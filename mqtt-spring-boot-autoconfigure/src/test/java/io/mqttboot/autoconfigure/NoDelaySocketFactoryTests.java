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

import java.net.Socket;

import javax.net.SocketFactory;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link NoDelaySocketFactory}.
 *
 * @author mqttboot
 */
class NoDelaySocketFactoryTests {

	@Test
	void plainSocketsHaveNoDelay() throws Exception {
		try (Socket socket = NoDelaySocketFactory.plain(SocketFactory.getDefault()).createSocket()) {
			assertThat(socket.getTcpNoDelay()).isTrue();
		}
	}

	@Test
	void tlsSocketsHaveNoDelayAndStayTls() throws Exception {
		SSLSocketFactory factory = NoDelaySocketFactory.tls((SSLSocketFactory) SSLSocketFactory.getDefault());
		try (Socket socket = factory.createSocket()) {
			assertThat(socket).isInstanceOf(SSLSocket.class);
			assertThat(socket.getTcpNoDelay()).isTrue();
		}
	}

}
