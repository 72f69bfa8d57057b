package dev.netns.sample.namespaces;

/** An {@code ip} command failed; the message has its output. */
public class IpCommandException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public IpCommandException(String message) {
        super(message);
    }
}
