package dev.netns.sample.api;

import dev.netns.spring.boot.actuate.ReferenceSchemePolicy;
import dev.netns.sample.probe.ProbeResult;
import dev.netns.sample.probe.TcpProbe;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Runs a TCP probe from inside a namespace. */
@RestController
public class ProbeController {

    private final TcpProbe probe;
    private final ReferenceSchemePolicy references;

    public ProbeController(TcpProbe probe, ReferenceSchemePolicy references) {
        this.probe = probe;
        this.references = references;
    }

    @PostMapping("/api/namespaces/{reference}/probe")
    public ProbeResult probe(@PathVariable String reference, @RequestBody(required = false) @Nullable ProbeRequest request) {
        references.check(reference);
        if (request == null) {
            throw new IllegalArgumentException("A body is required: {\"host\": \"127.0.0.1\", \"port\": 7}");
        }
        return probe.probe(reference, request.requireHost(), request.requirePort(), request.message());
    }
}
