package io.mqttboot.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test only if the {@code mosquitto} binary is installed; fails instead of skipping when
 * {@code -Dmqttboot.require-mosquitto=true} (or env {@code MQTTBOOT_REQUIRE_MOSQUITTO=true}).
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(MosquittoCondition.class)
public @interface EnabledIfMosquitto {

}
