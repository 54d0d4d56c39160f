package org.cropcast.storage.s3;

import org.apache.catalina.connector.Connector;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Added to S3Mock's Spring context by {@link S3MockServer} ({@code spring.main.sources}): S3Mock's
 * plain-HTTP Tomcat connector otherwise listens on every interface; this binds it to 127.0.0.1.
 */
@Configuration(proxyBeanMethods = false)
public class LoopbackConnectorConfiguration {
    @Bean
    static BeanPostProcessor loopbackConnectors() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof Connector connector) {
                    connector.setProperty("address", "127.0.0.1");
                }
                return bean;
            }
        };
    }
}
