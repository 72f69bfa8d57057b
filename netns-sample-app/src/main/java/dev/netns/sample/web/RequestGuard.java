package dev.netns.sample.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps web pages the user visits from driving the sample, which runs as root:
 * <ul>
 * <li>every request must name an allowed host in its {@code Host} header, with the server's port
 * (a DNS-rebinding page sends its own host name: refused, 403);</li>
 * <li>every state-changing request ({@code POST}, {@code PUT}, {@code PATCH}, {@code DELETE}) must
 * carry an {@code Origin} header equal to this server's own origin ({@code http://HOST:PORT}).
 * Browsers send it on every such request, and a cross-origin page cannot forge it, so a form or
 * {@code fetch} from another site (CSRF, even a body-less POST that needs no preflight) is refused
 * (403); other clients add it ({@code curl -H 'Origin: http://127.0.0.1:8080'}).</li>
 * </ul>
 * A servlet filter of its own rather than Spring Security: these are two header comparisons, and
 * Spring Security would add a filter chain, a generated password and login page to switch off,
 * and session-bound CSRF tokens that the dashboard would have to fetch and every script to carry,
 * for the same protection.
 */
public class RequestGuard extends OncePerRequestFilter {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private final Set<String> allowedHosts;

    /**
     * @param allowedHosts host names (IPv6 literals in brackets) requests may name
     * @param bindAddress the address the server is bound to, allowed too; {@code null} when bound to all
     */
    public RequestGuard(Collection<String> allowedHosts, @Nullable String bindAddress) {
        Set<String> hosts = allowedHosts.stream().map(host -> host.strip().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        if (bindAddress != null && !bindAddress.isBlank()) {
            String bound = bindAddress.strip().toLowerCase(Locale.ROOT);
            hosts.add(bound.contains(":") && !bound.startsWith("[") ? "[" + bound + "]" : bound);
        }
        this.allowedHosts = Set.copyOf(hosts);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String host = request.getHeader("Host");
        if (!allowedHost(host, request.getLocalPort())) {
            Problems.refuse(request, response, HttpServletResponse.SC_FORBIDDEN, "Host not allowed", "This server answers to "
                    + allowedHosts.stream().sorted().collect(Collectors.joining(", ")) + " on port " + request.getLocalPort()
                    + ", not to the Host '" + shown(host) + "'; add a name to sample.http.allowed-hosts to allow it");
            return;
        }
        if (!SAFE_METHODS.contains(request.getMethod())) {
            String origin = request.getHeader("Origin");
            String own = request.getScheme() + "://" + host;
            if (origin == null) {
                Problems.refuse(request, response, HttpServletResponse.SC_FORBIDDEN, "Origin required", "A "
                        + request.getMethod() + " request must say where it comes from: send the header 'Origin: " + own
                        + "' (browsers send it themselves)");
                return;
            }
            if (!origin.equalsIgnoreCase(own)) {
                Problems.refuse(request, response, HttpServletResponse.SC_FORBIDDEN, "Cross-origin request refused",
                        "A " + request.getMethod() + " request from the origin '" + shown(origin) + "' is refused: only pages"
                                + " of " + own + " itself may change anything");
                return;
            }
        }
        chain.doFilter(request, response);
    }

    /** {@code NAME:PORT} (or {@code NAME} on port 80) with an allowed name and the server's port. */
    private boolean allowedHost(@Nullable String host, int localPort) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        String name = host;
        String port = null;
        int colon = host.lastIndexOf(':');
        if (colon > host.lastIndexOf(']')) {
            name = host.substring(0, colon);
            port = host.substring(colon + 1);
        }
        boolean portMatches = port == null ? localPort == 80 : port.equals(Integer.toString(localPort));
        return portMatches && allowedHosts.contains(name.toLowerCase(Locale.ROOT));
    }

    private static String shown(@Nullable String header) {
        if (header == null) {
            return "(none)";
        }
        String printable = header.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 100 ? printable.substring(0, 100) + "..." : printable;
    }
}
