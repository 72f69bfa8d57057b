package dev.netns.sample.probe;

/** A probe target outside what the sample may reach. */
public class ProbeNotAllowedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ProbeNotAllowedException(String message) {
        super(message);
    }
}
