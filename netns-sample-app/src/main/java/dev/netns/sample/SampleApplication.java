package dev.netns.sample;

import dev.netns.sample.docker.DockerDefaults;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * The netns sample application: a REST API under {@code /api}, a dashboard at {@code /} and the
 * Actuator endpoints, bound to 127.0.0.1 (it runs as root and changes the host's namespaces).
 */
@SpringBootApplication
@EnableConfigurationProperties(SampleProperties.class)
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(SampleApplication.class);
        application.setDefaultProperties(DockerDefaults.properties());
        application.run(args);
    }
}
