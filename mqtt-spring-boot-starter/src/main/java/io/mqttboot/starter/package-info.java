/**
 * The mqttboot starter: an empty jar that brings the auto-configuration, Spring
 * Integration MQTT and both Eclipse Paho clients.
 */
package io.mqttboot.starter;
