package dev.netns.sample.api;

import dev.netns.AmbiguousNamespaceReferenceException;
import dev.netns.NamespaceExecutionException;
import dev.netns.NamespaceExistsException;
import dev.netns.NamespaceNotFoundException;
import dev.netns.NamespacePermissionException;
import dev.netns.NamespaceUnavailableException;
import dev.netns.NetnsException;
import dev.netns.sample.echo.EchoConflictException;
import dev.netns.sample.echo.EchoNotRunningException;
import dev.netns.sample.namespaces.AddressConflictException;
import dev.netns.sample.namespaces.IpCommandException;
import dev.netns.sample.namespaces.MissingToolException;
import dev.netns.sample.probe.ProbeNotAllowedException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error of the API as an RFC 9457 problem detail ({@code application/problem+json}) whose
 * {@code detail} says what went wrong: an unknown namespace is 404, a malformed name or reference
 * 400, a missing privilege 403 (with the CAP_SYS_ADMIN hint), a name taken 409, an unreachable
 * Docker engine 503. Spring MVC's own errors (unreadable JSON, wrong method...) are problem
 * details too, through {@link ResponseEntityExceptionHandler}.
 */
@RestControllerAdvice
public class ApiProblems extends ResponseEntityExceptionHandler {

    /** Added to every 403 caused by a missing privilege. */
    public static final String PRIVILEGE_HINT = "Network namespaces need CAP_SYS_ADMIN: run the sample as root"
            + " (sudo java -jar netns-sample-app/target/netns-sample-app.jar).";

    private static final Logger log = LoggerFactory.getLogger(ApiProblems.class);

    @ExceptionHandler
    ProblemDetail notFound(NamespaceNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Namespace not found", e);
    }

    @ExceptionHandler
    ProblemDetail badRequest(IllegalArgumentException e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid request", e);
    }

    @ExceptionHandler
    ProblemDetail ambiguous(AmbiguousNamespaceReferenceException e) {
        return problem(HttpStatus.BAD_REQUEST, "Ambiguous namespace reference", e);
    }

    @ExceptionHandler
    ProblemDetail forbidden(NamespacePermissionException e) {
        ProblemDetail problem = problem(HttpStatus.FORBIDDEN, "Missing privilege", e);
        problem.setDetail(e.getMessage() + ". " + PRIVILEGE_HINT);
        problem.setProperty("hint", PRIVILEGE_HINT);
        return problem;
    }

    @ExceptionHandler
    ProblemDetail exists(NamespaceExistsException e) {
        return problem(HttpStatus.CONFLICT, "Namespace exists", e);
    }

    @ExceptionHandler
    ProblemDetail unavailable(NamespaceUnavailableException e) {
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "Namespace unavailable", e);
    }

    @ExceptionHandler
    ProblemDetail netnsFailure(NetnsException e) {
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Namespace operation failed", e);
    }

    @ExceptionHandler
    ProblemDetail callbackFailure(NamespaceExecutionException e) {
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Namespace operation failed", e);
    }

    @ExceptionHandler
    ProblemDetail unsupported(UnsupportedOperationException e) {
        return problem(HttpStatus.NOT_IMPLEMENTED, "Not supported here", e);
    }

    @ExceptionHandler
    ProblemDetail probeNotAllowed(ProbeNotAllowedException e) {
        return problem(HttpStatus.FORBIDDEN, "Probe target not allowed", e);
    }

    @ExceptionHandler
    ProblemDetail echoConflict(EchoConflictException e) {
        return problem(HttpStatus.CONFLICT, "Echo server conflict", e);
    }

    @ExceptionHandler
    ProblemDetail echoNotRunning(EchoNotRunningException e) {
        return problem(HttpStatus.NOT_FOUND, "No echo server", e);
    }

    @ExceptionHandler
    ProblemDetail addressConflict(AddressConflictException e) {
        return problem(HttpStatus.CONFLICT, "Address conflict", e);
    }

    @ExceptionHandler
    ProblemDetail missingTool(MissingToolException e) {
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "Missing tool", e);
    }

    @ExceptionHandler
    ProblemDetail linkSetupFailed(IpCommandException e) {
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Link set-up failed", e);
    }

    /** Unreadable JSON: say where, not only that it failed. */
    @Override
    protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "The request body is not the JSON expected: " + firstLine(e.getMostSpecificCause().getMessage()));
        problem.setTitle("Unreadable request body");
        return handleExceptionInternal(e, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    private static ProblemDetail problem(HttpStatus status, String title, Exception e) {
        if (status == HttpStatus.INTERNAL_SERVER_ERROR) {
            log.warn("{}: {}", title, e.getMessage(), e);
        } else if (status.is5xxServerError()) {
            log.warn("{}: {}", title, e.getMessage());
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, e.getMessage() != null ? e.getMessage() : e.toString());
        problem.setTitle(title);
        return problem;
    }

    private static String firstLine(@Nullable String text) {
        if (text == null) {
            return "(no detail)";
        }
        int newline = text.indexOf('\n');
        String line = newline < 0 ? text : text.substring(0, newline);
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
