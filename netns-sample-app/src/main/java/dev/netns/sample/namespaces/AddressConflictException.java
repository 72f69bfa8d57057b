package dev.netns.sample.namespaces;

/** An address asked for would clash with the host's own networks. */
public class AddressConflictException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public AddressConflictException(String message) {
        super(message);
    }
}
