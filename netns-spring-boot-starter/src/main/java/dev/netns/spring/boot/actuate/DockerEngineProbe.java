package dev.netns.spring.boot.actuate;

/** Checks that the Docker engine answers, for the {@code netns} health indicator. */
@FunctionalInterface
public interface DockerEngineProbe {

    /** Returns when the engine answered; throws saying why it did not. */
    void ping() throws Exception;
}
