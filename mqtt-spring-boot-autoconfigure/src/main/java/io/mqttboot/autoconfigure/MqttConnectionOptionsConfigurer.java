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
import java.util.List;
import java.util.Map;
import javax.net.SocketFactory;

import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;

import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.util.Assert;

/**
 * Configures Paho's MQTT 5 {@link MqttConnectionOptions} from the {@code mqtt.*}
 * properties and the {@link MqttConnectionDetails}. Can be injected into application code
 * to configure a second client with the same settings.
 *
 * @author mqttboot
 */
public class MqttConnectionOptionsConfigurer {

	private final MqttPropertiesMapper mapper;

	MqttConnectionOptionsConfigurer(MqttPropertiesMapper mapper) {
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
	public void configure(MqttConnectionOptions options) {
		MqttConnectionProperties properties = this.mapper.properties();
		MqttConnectionDetails details = this.mapper.details();
		PropertyMapper map = PropertyMapper.get();
		options.setServerURIs(this.mapper.serverUris());
		map.from(details::getUsername).to(options::setUserName);
		map.from(details::getPassword).as((password) -> password.getBytes(StandardCharsets.UTF_8))
			.to(options::setPassword);
		options.setConnectionTimeout(this.mapper.connectTimeoutSeconds());
		options.setKeepAliveInterval(this.mapper.keepAliveSeconds());
		options.setCleanStart(properties.isCleanStart());
		map.from(this.mapper.sessionExpiry()).to(options::setSessionExpiryInterval);
		options.setAutomaticReconnect(false);
		configureWill(options, properties.getWill());
		configureConnectProperties(options, properties.getConnectProperties());
		SocketFactory socketFactory = this.mapper.socketFactory();
		map.from(socketFactory).to(options::setSocketFactory);
		options.setHttpsHostnameVerificationEnabled(properties.getSsl().isVerifyHostname());
	}

	private void configureWill(MqttConnectionOptions options, MqttConnectionProperties.Will will) {
		String topic = will.getTopic();
		if (topic == null) {
			return;
		}
		PropertyMapper map = PropertyMapper.get();
		org.eclipse.paho.mqttv5.common.packet.MqttProperties willProperties = new org.eclipse.paho.mqttv5.common.packet.MqttProperties();
		map.from(will.getDelayInterval()).as(MqttPropertiesMapper::ceilSeconds).to(willProperties::setWillDelayInterval);
		map.from(will.getMessageExpiry()).as(MqttPropertiesMapper::ceilSeconds)
			.to(willProperties::setMessageExpiryInterval);
		map.from(will.getContentType()).to(willProperties::setContentType);
		if (!will.getUserProperties().isEmpty()) {
			willProperties.setUserProperties(userProperties(will.getUserProperties()));
		}
		MqttMessage message = new MqttMessage(will.getPayload().getBytes(StandardCharsets.UTF_8), will.getQos(),
				will.isRetain(), null);
		options.setWill(topic, message);
		options.setWillMessageProperties(willProperties);
	}

	private void configureConnectProperties(MqttConnectionOptions options,
			MqttConnectionProperties.ConnectProperties connect) {
		PropertyMapper map = PropertyMapper.get();
		map.from(connect.getReceiveMaximum()).to(options::setReceiveMaximum);
		map.from(connect.getMaximumPacketSize()).to(options::setMaximumPacketSize);
		map.from(connect.getTopicAliasMaximum()).to(options::setTopicAliasMaximum);
		map.from(connect.getRequestResponseInformation()).to(options::setRequestResponseInfo);
		map.from(connect.getRequestProblemInformation()).to(options::setRequestProblemInfo);
		if (!connect.getUserProperties().isEmpty()) {
			options.setUserProperties(userProperties(connect.getUserProperties()));
		}
	}

	private static List<UserProperty> userProperties(Map<String, String> properties) {
		return properties.entrySet().stream().map((entry) -> new UserProperty(entry.getKey(), entry.getValue()))
			.toList();
	}

}
