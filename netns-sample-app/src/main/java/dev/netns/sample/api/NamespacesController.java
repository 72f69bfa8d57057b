package dev.netns.sample.api;

import dev.netns.spring.boot.actuate.ReferenceSchemePolicy;
import dev.netns.sample.namespaces.CreatedNamespace;
import dev.netns.sample.namespaces.NamespaceCatalog;
import dev.netns.sample.namespaces.NamespaceInterfaces;
import dev.netns.sample.namespaces.NamespaceLifecycle;
import dev.netns.sample.namespaces.NamespaceList;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Lists, creates and deletes namespaces, and lists the interfaces inside any of them. */
@RestController
@RequestMapping("/api/namespaces")
public class NamespacesController {

    private final NamespaceCatalog catalog;
    private final NamespaceLifecycle lifecycle;
    private final NamespaceInterfaces interfaces;
    private final ReferenceSchemePolicy references;

    public NamespacesController(NamespaceCatalog catalog, NamespaceLifecycle lifecycle, NamespaceInterfaces interfaces,
            ReferenceSchemePolicy references) {
        this.catalog = catalog;
        this.lifecycle = lifecycle;
        this.interfaces = interfaces;
        this.references = references;
    }

    @GetMapping
    public NamespaceList list() {
        return catalog.list();
    }

    @PostMapping
    public ResponseEntity<CreatedNamespace> create(@RequestBody(required = false) @Nullable CreateNamespaceRequest request) {
        if (request == null) {
            throw new IllegalArgumentException("A body is required: {\"name\": \"blue\"}");
        }
        String name = request.requireName();
        request.checkAddresses();
        CreatedNamespace created = lifecycle.create(name, request.veth() != null, request.hostAddress(),
                request.namespaceAddress());
        return ResponseEntity.status(HttpStatus.CREATED).body(created);
    }

    @DeleteMapping("/{name}")
    public ResponseEntity<Void> delete(@PathVariable String name) {
        lifecycle.delete(name);
        return ResponseEntity.noContent().build();
    }

    /**
     * {@code reference} is URL-encoded ({@code docker%3Aweb}, {@code path%3A%2Frun%2Fnetns%2Fblue}); a bare name works too;
     * only the schemes {@code sample.api.reference-schemes} allows (and the aliases).
     */
    @GetMapping("/{reference}/interfaces")
    public NamespaceInterfaces.Listing interfaces(@PathVariable String reference) {
        references.check(reference);
        return interfaces.of(reference);
    }
}
