package dev.netns.sample.api;

import dev.netns.spring.boot.actuate.ReferenceSchemePolicy;
import dev.netns.sample.echo.EchoInfo;
import dev.netns.sample.echo.EchoServers;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Starts and stops the TCP echo server inside a namespace. */
@RestController
public class EchoController {

    private final EchoServers echoServers;
    private final ReferenceSchemePolicy references;

    public EchoController(EchoServers echoServers, ReferenceSchemePolicy references) {
        this.echoServers = echoServers;
        this.references = references;
    }

    @PostMapping("/api/namespaces/{reference}/echo")
    public ResponseEntity<EchoInfo> start(@PathVariable String reference, @RequestBody(required = false) @Nullable EchoRequest request) {
        EchoRequest body = request != null ? request : new EchoRequest(null, null);
        references.check(reference);
        EchoInfo started = echoServers.start(reference, body.bindAddress(), body.portOrDefault());
        return ResponseEntity.status(HttpStatus.CREATED).body(started);
    }

    @DeleteMapping("/api/namespaces/{reference}/echo")
    public EchoInfo stop(@PathVariable String reference) {
        references.check(reference);
        return echoServers.stop(reference);
    }
}
