package dev.netns.sample.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.AmbiguousNamespaceReferenceException;
import dev.netns.NamespaceExistsException;
import dev.netns.NamespaceNotFoundException;
import dev.netns.NamespacePermissionException;
import dev.netns.NamespaceUnavailableException;
import dev.netns.NetnsException;
import dev.netns.spring.boot.actuate.ReferenceSchemeNotAllowedException;
import dev.netns.sample.namespaces.MissingToolException;
import org.junit.jupiter.api.Test;
import org.springframework.http.ProblemDetail;

/** The status, title and detail each failure becomes; the server test covers them over HTTP. */
class ApiProblemsTest {

    private final ApiProblems problems = new ApiProblems();

    @Test
    void aMissingPrivilegeIsForbiddenWithTheCapSysAdminHint() {
        ProblemDetail problem = problems.forbidden(new NamespacePermissionException(
                "open(/run/netns/blue) failed: EACCES (Permission denied)", 13, "EACCES"));
        assertThat(problem.getStatus()).isEqualTo(403);
        assertThat(problem.getTitle()).isEqualTo("Missing privilege");
        assertThat(problem.getDetail()).startsWith("open(/run/netns/blue) failed: EACCES").contains("CAP_SYS_ADMIN");
        assertThat((String) problem.getProperties().get("hint")).contains("CAP_SYS_ADMIN");
        assertThat(problem.getDetail()).endsWith(problem.getProperties().get("hint") + ".");
    }

    @Test
    void namespaceFailuresMapToTheirStatuses() {
        assertThat(problems.notFound(new NamespaceNotFoundException("Named namespace 'x' does not exist")).getStatus()).isEqualTo(404);
        assertThat(problems.badRequest(new IllegalArgumentException("Invalid namespace name")).getStatus()).isEqualTo(400);
        assertThat(problems.ambiguous(new AmbiguousNamespaceReferenceException("prefix 'a' matches 2")).getStatus()).isEqualTo(400);
        assertThat(problems.exists(new NamespaceExistsException("exists")).getStatus()).isEqualTo(409);
        ProblemDetail unavailable = problems.unavailable(new NamespaceUnavailableException("Docker does not answer"));
        assertThat(unavailable.getStatus()).isEqualTo(503);
        assertThat(unavailable.getDetail()).isEqualTo("Docker does not answer");
        assertThat(problems.netnsFailure(new NetnsException("setns failed", 5, "EIO")).getStatus()).isEqualTo(500);
        ProblemDetail notANamespace = problems.netnsFailure(new NetnsException("/etc/hostname is not a namespace file", 22, "EINVAL"));
        assertThat(notANamespace.getStatus()).isEqualTo(400);
        assertThat(notANamespace.getTitle()).isEqualTo("Not a network namespace");
        assertThat(problems.referenceNotAllowed(new ReferenceSchemeNotAllowedException("path", "path: is not served")).getStatus()).isEqualTo(403);
        assertThat(problems.missingTool(new MissingToolException("install iproute2")).getStatus()).isEqualTo(503);
    }
}
