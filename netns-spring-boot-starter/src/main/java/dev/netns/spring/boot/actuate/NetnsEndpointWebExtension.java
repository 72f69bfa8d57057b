package dev.netns.spring.boot.actuate;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.Selector.Match;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * {@code /actuator/netns/{aliasOrReference}} over HTTP: 404 and 400 come with a body saying why
 * ({@code {"status": 404, "error": "Namespace not found", "message": "...", "reference": "nope"}}),
 * not only a status; a reference whose scheme the endpoint does not serve
 * ({@code netns.endpoint.reference-schemes}) is 403, {@code "error": "Reference scheme not allowed"},
 * and nothing was opened for it.
 */
@EndpointWebExtension(endpoint = NetnsEndpoint.class)
public class NetnsEndpointWebExtension {

    private static final int STATUS_FORBIDDEN = 403;

    private final NetnsEndpoint endpoint;

    public NetnsEndpointWebExtension(NetnsEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @ReadOperation
    public WebEndpointResponse<Object> namespace(@Selector(match = Match.ALL_REMAINING) String[] aliasOrReference) {
        String text = String.join("/", aliasOrReference);
        NetnsEndpoint.Lookup lookup = endpoint.lookup(text);
        if (lookup.found() != null) {
            return new WebEndpointResponse<>(lookup.found(), WebEndpointResponse.STATUS_OK);
        }
        if (lookup.refused() != null) {
            return error(STATUS_FORBIDDEN, "Reference scheme not allowed", lookup.refused().getMessage(), text);
        }
        if (lookup.malformed() != null) {
            return error(WebEndpointResponse.STATUS_BAD_REQUEST, "Malformed namespace reference", lookup.malformed(), text);
        }
        return error(WebEndpointResponse.STATUS_NOT_FOUND, "Namespace not found", String.valueOf(lookup.notFound()), text);
    }

    private static WebEndpointResponse<Object> error(int status, String error, String message, String reference) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", error);
        body.put("message", message);
        body.put("reference", reference);
        return new WebEndpointResponse<>(body, status);
    }
}
