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

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.mqttboot.connection.MqttConnection;
import io.mqttboot.core.MqttTemplate;
import io.mqttboot.listener.LoggingMqttListenerErrorHandler;
import io.mqttboot.listener.MqttListenerAnnotationBeanPostProcessor;
import io.mqttboot.listener.MqttListenerContainerFactory;
import io.mqttboot.listener.MqttListenerEndpointRegistry;
import io.mqttboot.listener.MqttListenerErrorHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.TaskExecutor;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MqttAnnotationDrivenConfiguration}.
 *
 * @author mqttboot
 */
class MqttAnnotationDrivenConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MqttAutoConfiguration.class))
		.withPropertyValues("mqtt.url=" + MqttAutoConfigurationTests.UNREACHABLE_URL);

	@Test
	void listenerInfrastructureIsAutoConfigured() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(MqttListenerEndpointRegistry.class)
				.hasBean(MqttListenerAnnotationBeanPostProcessor.DEFAULT_BEAN_NAME)
				.hasBean(MqttListenerEndpointRegistry.DEFAULT_BEAN_NAME);
			assertThat(context.getBean(MqttListenerEndpointRegistry.DEFAULT_ERROR_HANDLER_BEAN_NAME))
				.isInstanceOf(LoggingMqttListenerErrorHandler.class);
			assertThat(context.getBean(MqttListenerEndpointRegistry.class).getListenerIds()).isEmpty();
			assertThat(defaultErrorHandler(context)).isSameAs(context.getBean(MqttListenerEndpointRegistry.DEFAULT_ERROR_HANDLER_BEAN_NAME));
		});
	}

	@Test
	void userDefaultErrorHandlerReplacesTheLoggingOne() {
		this.contextRunner.withUserConfiguration(UserErrorHandlerConfiguration.class).run((context) -> {
			assertThat(context).doesNotHaveBean(LoggingMqttListenerErrorHandler.class);
			assertThat(context.getBean(MqttListenerEndpointRegistry.DEFAULT_ERROR_HANDLER_BEAN_NAME))
				.isSameAs(UserErrorHandlerConfiguration.HANDLER);
			assertThat(defaultErrorHandler(context)).isSameAs(UserErrorHandlerConfiguration.HANDLER);
		});
	}

	@Test
	void userErrorHandlerUnderAnotherNameReplacesTheLoggingOne() {
		this.contextRunner.withUserConfiguration(NamedErrorHandlersConfiguration.class)
			.withPropertyValues("test.handlers=audit")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(LoggingMqttListenerErrorHandler.class);
				assertThat(defaultErrorHandler(context)).isSameAs(context.getBean("audit"));
			});
	}

	@Test
	void ofSeveralUserErrorHandlersTheOneNamedMqttListenerErrorHandlerIsTheDefault() {
		this.contextRunner.withUserConfiguration(NamedErrorHandlersConfiguration.class, UserErrorHandlerConfiguration.class)
			.withPropertyValues("test.handlers=audit")
			.run((context) -> assertThat(defaultErrorHandler(context)).isSameAs(UserErrorHandlerConfiguration.HANDLER));
	}

	@Test
	void severalUserErrorHandlersWithoutTheDefaultNameLeaveListenersThatNameNoneToTheLoggingOne() {
		this.contextRunner.withUserConfiguration(NamedErrorHandlersConfiguration.class)
			.withPropertyValues("test.handlers=audit,alert")
			.run((context) -> {
				assertThat(context).hasBean("audit").hasBean("alert");
				assertThat(defaultErrorHandler(context)).isInstanceOf(LoggingMqttListenerErrorHandler.class);
			});
	}

	@Test
	void ofSeveralUserErrorHandlersThePrimaryOneIsTheDefault() {
		this.contextRunner.withUserConfiguration(NamedErrorHandlersConfiguration.class, PrimaryErrorHandlerConfiguration.class)
			.withPropertyValues("test.handlers=audit,alert")
			.run((context) -> assertThat(defaultErrorHandler(context)).isSameAs(context.getBean("primary")));
	}

	@Test
	void errorHandlerThatIsNoDefaultCandidateLeavesTheLoggingOneInPlace() {
		this.contextRunner.withUserConfiguration(NonDefaultErrorHandlerConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(LoggingMqttListenerErrorHandler.class).hasBean("forOneListener");
			assertThat(defaultErrorHandler(context))
				.isSameAs(context.getBean(MqttListenerEndpointRegistry.DEFAULT_ERROR_HANDLER_BEAN_NAME));
		});
	}

	@Test
	void errorHandlerMayDependOnTheRegistry() {
		this.contextRunner.withUserConfiguration(RegistryAwareErrorHandlerConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(defaultErrorHandler(context)).isSameAs(context.getBean("stopOnError"));
		});
	}

	@Test
	void userRegistryBacksOff() {
		this.contextRunner.withUserConfiguration(UserRegistryConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(MqttListenerEndpointRegistry.class);
			assertThat(context.getBean(MqttListenerEndpointRegistry.class))
				.isSameAs(context.getBean("customRegistry"));
		});
	}

	@Test
	void containerFactoryIsAutoConfiguredAndUsedByTheRegistry() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(MqttListenerContainerFactory.class)
				.hasSingleBean(MqttListenerContainerFactoryConfigurer.class)
				.hasBean(MqttListenerContainerFactory.DEFAULT_BEAN_NAME);
			assertThat(ReflectionTestUtils.getField(context.getBean(MqttListenerEndpointRegistry.class),
					"containerFactory"))
				.isSameAs(context.getBean(MqttListenerContainerFactory.class));
		});
	}

	@Test
	void userContainerFactoryBacksOffAndIsUsedByTheRegistry() {
		this.contextRunner.withUserConfiguration(UserContainerFactoryConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(MqttListenerContainerFactory.class)
				.doesNotHaveBean(MqttListenerContainerFactory.DEFAULT_BEAN_NAME);
			assertThat(ReflectionTestUtils.getField(context.getBean(MqttListenerEndpointRegistry.class),
					"containerFactory"))
				.isSameAs(context.getBean("customFactory"));
		});
	}

	@Test
	void userConfigurerBacksOffAndConfiguresTheFactory() {
		this.contextRunner.withUserConfiguration(UserConfigurerConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(MqttListenerContainerFactoryConfigurer.class);
			assertThat(taskExecutor(context)).isSameAs(UserConfigurerConfiguration.EXECUTOR);
		});
	}

	@Test
	void listenerThreadsArePlatformThreadsByDefault() {
		this.contextRunner.run((context) -> {
			Thread thread = threadOf(taskExecutor(context));
			assertThat(isVirtual(thread)).isFalse();
			assertThat(thread.getName()).startsWith("mqtt-listener-");
			assertThat(thread.isDaemon()).isTrue();
		});
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void listenerThreadsAreVirtualThreadsWhenEnabled() {
		this.contextRunner.withPropertyValues("spring.threads.virtual.enabled=true").run((context) -> {
			assertThat(context).hasSingleBean(MqttListenerContainerFactoryConfigurer.class);
			Thread thread = threadOf(taskExecutor(context));
			assertThat(isVirtual(thread)).isTrue();
			assertThat(thread.getName()).startsWith("mqtt-listener-");
		});
	}

	@Test
	@EnabledForJreRange(max = JRE.JAVA_20)
	void listenerThreadsArePlatformThreadsBeforeJava21EvenWhenVirtualThreadsAreEnabled() {
		this.contextRunner.withPropertyValues("spring.threads.virtual.enabled=true").run((context) -> {
			Thread thread = threadOf(taskExecutor(context));
			assertThat(isVirtual(thread)).isFalse();
			assertThat(thread.getName()).startsWith("mqtt-listener-");
		});
	}

	private static TaskExecutor taskExecutor(AssertableApplicationContext context) {
		Object executor = ReflectionTestUtils.getField(context.getBean(MqttListenerContainerFactory.class),
				"taskExecutor");
		assertThat(executor).isInstanceOf(TaskExecutor.class);
		return (TaskExecutor) executor;
	}

	private static Thread threadOf(TaskExecutor executor) throws InterruptedException {
		CompletableFuture<Thread> thread = new CompletableFuture<>();
		executor.execute(() -> thread.complete(Thread.currentThread()));
		assertThat(thread).succeedsWithin(Duration.ofSeconds(10));
		return thread.join();
	}

	// Thread.isVirtual() is Java 21+; this code compiles for Java 17
	private static boolean isVirtual(Thread thread) throws ReflectiveOperationException {
		Method isVirtual;
		try {
			isVirtual = Thread.class.getMethod("isVirtual");
		}
		catch (NoSuchMethodException ex) {
			return false;
		}
		return (boolean) isVirtual.invoke(thread);
	}

	@Test
	void disabledStarterHasNoListenerInfrastructure() {
		this.contextRunner.withPropertyValues("mqtt.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(MqttListenerEndpointRegistry.class)
				.doesNotHaveBean(MqttListenerAnnotationBeanPostProcessor.class)
				.doesNotHaveBean(MqttListenerContainerFactory.class));
	}

	private static MqttListenerErrorHandler defaultErrorHandler(AssertableApplicationContext context) {
		MqttListenerContainerFactory factory = context.getBean(MqttListenerContainerFactory.class);
		Object handler = ReflectionTestUtils.getField(factory, "errorHandler");
		assertThat(handler).isInstanceOf(ApplicationMqttListenerErrorHandler.class);
		return ((ApplicationMqttListenerErrorHandler) handler).getDelegate();
	}

	@Configuration(proxyBeanMethods = false)
	static class UserErrorHandlerConfiguration {

		static final MqttListenerErrorHandler HANDLER = (message, exception) -> {
		};

		@Bean
		MqttListenerErrorHandler mqttListenerErrorHandler() {
			return HANDLER;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class NamedErrorHandlersConfiguration {

		@Bean
		@ConditionalOnExpression("'${test.handlers}'.contains('audit')")
		MqttListenerErrorHandler audit() {
			return (message, exception) -> {
			};
		}

		@Bean
		@ConditionalOnExpression("'${test.handlers}'.contains('alert')")
		MqttListenerErrorHandler alert() {
			return (message, exception) -> {
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PrimaryErrorHandlerConfiguration {

		@Bean
		@Primary
		MqttListenerErrorHandler primary() {
			return (message, exception) -> {
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class NonDefaultErrorHandlerConfiguration {

		@Bean(defaultCandidate = false)
		MqttListenerErrorHandler forOneListener() {
			return (message, exception) -> {
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RegistryAwareErrorHandlerConfiguration {

		@Bean
		MqttListenerErrorHandler stopOnError(MqttListenerEndpointRegistry registry) {
			return (message, exception) -> registry.stop(exception.getListenerId());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserRegistryConfiguration {

		@Bean
		MqttListenerEndpointRegistry customRegistry(MqttConnection connection, ObjectProvider<MqttTemplate> templates) {
			return new MqttListenerEndpointRegistry(connection, new LoggingMqttListenerErrorHandler(), templates);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserContainerFactoryConfiguration {

		@Bean
		MqttListenerContainerFactory customFactory() {
			return new MqttListenerContainerFactory();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserConfigurerConfiguration {

		static final TaskExecutor EXECUTOR = new SimpleAsyncTaskExecutor("custom-");

		@Bean
		MqttListenerContainerFactoryConfigurer customConfigurer() {
			MqttListenerContainerFactoryConfigurer configurer = new MqttListenerContainerFactoryConfigurer();
			configurer.setListenerTaskExecutor(EXECUTOR);
			return configurer;
		}

	}

}
