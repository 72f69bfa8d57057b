package dev.netns.sample.api;

import dev.netns.spring.boot.actuate.NetnsEndpoint;
import dev.netns.spring.boot.actuate.NetnsEndpointWebExtension;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.Selector.Match;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * {@code /actuator/netns/{aliasOrReference}} under the API's {@link ReferencePolicy}: the detail
 * of one namespace is served on the same port as the API, so a scheme the API does not serve
 * ({@code path:}, {@code pid:}, {@code thread:} by default) is refused here too (403), before
 * anything is opened. Replaces the starter's extension, which serves every scheme.
 */
@EndpointWebExtension(endpoint = NetnsEndpoint.class)
public class GuardedNetnsEndpointWebExtension extends NetnsEndpointWebExtension {

    private static final Logger log = LoggerFactory.getLogger(GuardedNetnsEndpointWebExtension.class);

    private static final int FORBIDDEN = 403;

    private final ReferencePolicy references;

    public GuardedNetnsEndpointWebExtension(NetnsEndpoint endpoint, ReferencePolicy references) {
        super(endpoint);
        this.references = references;
    }

    @Override
    @ReadOperation
    public WebEndpointResponse<Object> namespace(@Selector(match = Match.ALL_REMAINING) String[] aliasOrReference) {
        String text = String.join("/", aliasOrReference);
        try {
            references.check(text);
        } catch (ReferenceNotAllowedException e) {
            log.info("GET /actuator/netns -> 403 Reference scheme not allowed: {}", e.getMessage());
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", FORBIDDEN);
            body.put("error", "Reference scheme not allowed");
            body.put("message", e.getMessage());
            body.put("reference", text);
            return new WebEndpointResponse<>(body, FORBIDDEN);
        } catch (IllegalArgumentException e) {
            // malformed: the endpoint answers 400 saying why
        }
        return super.namespace(aliasOrReference);
    }
}
