package dev.netns.sample.echo;

/** No echo server runs in the namespace asked for. */
public class EchoNotRunningException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public EchoNotRunningException(String message) {
        super(message);
    }
}
