package dev.netns.sample.events;

/** No new event stream now: as many are open as allowed, or the application is stopping. */
public class StreamsUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StreamsUnavailableException(String message) {
        super(message);
    }
}
