package dev.netns.sample.echo;

/** An echo server cannot start: one runs there already, too many run, or the port is taken. */
public class EchoConflictException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public EchoConflictException(String message) {
        super(message);
    }
}
