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

import java.nio.charset.StandardCharsets;

import io.mqttboot.connection.MqttProtocolVersion;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;

import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.util.Assert;

/**
 * Configures Paho's MQTT 3.1.1 and 3.1 {@link MqttConnectOptions} from the
 * {@code mqtt.*} properties and the {@link MqttConnectionDetails}. Can be injected into
 * application code to configure a second client with the same settings.
 *
 * @author mqttboot
 */
public class MqttConnectOptionsConfigurer {

	private final MqttPropertiesMapper mapper;

	MqttConnectOptionsConfigurer(MqttPropertiesMapper mapper) {
		Assert.notNull(mapper, "'mapper' must not be null");
		this.mapper = mapper;
	}

	MqttPropertiesMapper mapper() {
		return this.mapper;
	}

	/**
	 * Configure the given options.
	 * @param options the options to configure
	 */
	public void configure(MqttConnectOptions options) {
		MqttConnectionProperties properties = this.mapper.properties();
		MqttConnectionDetails details = this.mapper.details();
		PropertyMapper map = PropertyMapper.get();
		options.setServerURIs(this.mapper.serverUris());
		options.setMqttVersion((this.mapper.protocolVersion() == MqttProtocolVersion.V3_1)
				? MqttConnectOptions.MQTT_VERSION_3_1 : MqttConnectOptions.MQTT_VERSION_3_1_1);
		map.from(details::getUsername).to(options::setUserName);
		map.from(details::getPassword).as(String::toCharArray).to(options::setPassword);
		options.setConnectionTimeout(this.mapper.connectTimeoutSeconds());
		options.setKeepAliveInterval(this.mapper.keepAliveSeconds());
		options.setCleanSession(properties.isCleanStart());
		options.setAutomaticReconnect(false);
		options.setMaxInflight(properties.getMaxInflight());
		MqttConnectionProperties.Will will = properties.getWill();
		if (will.getTopic() != null) {
			options.setWill(will.getTopic(), will.getPayload().getBytes(StandardCharsets.UTF_8), will.getQos(),
					will.isRetain());
		}
		map.from(this.mapper.socketFactory()).to(options::setSocketFactory);
		options.setHttpsHostnameVerificationEnabled(properties.getSsl().isVerifyHostname());
	}

}
