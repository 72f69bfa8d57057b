package dev.netns.sample.api;

import dev.netns.sample.events.NamespaceEventStreams;
import java.io.IOException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /api/namespaces/events}: named namespaces added and deleted, by anyone, as
 * server-sent events ({@code text/event-stream}; see {@link NamespaceEventStreams}). The request
 * guard's Host check applies as to every request. A browser page of another site may not
 * subscribe (its {@code Sec-Fetch-Site} says so): it could not read the stream anyway, but it
 * would hold one of the few places.
 */
@RestController
public class NamespaceEventsController {

    private final NamespaceEventStreams streams;

    public NamespaceEventsController(NamespaceEventStreams streams) {
        this.streams = streams;
    }

    @GetMapping("/api/namespaces/events")
    public SseEmitter events(@RequestHeader(name = "Sec-Fetch-Site", required = false) @Nullable String fetchSite)
            throws IOException {
        if (fetchSite != null && !fetchSite.equalsIgnoreCase("same-origin") && !fetchSite.equalsIgnoreCase("none")) {
            throw new CrossSiteSubscriptionException("A page of another site (Sec-Fetch-Site: "
                    + ApiProblems.printable(fetchSite.toLowerCase(Locale.ROOT)) + ") may not subscribe to the events of this server");
        }
        return streams.subscribe();
    }

    /** A subscription from a page of another site. */
    static class CrossSiteSubscriptionException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        CrossSiteSubscriptionException(String message) {
            super(message);
        }
    }
}
