package dev.netns.sample.api;

import dev.netns.AmbiguousNamespaceReferenceException;
import dev.netns.NamespaceExecutionException;
import dev.netns.NamespaceExistsException;
import dev.netns.NamespaceNotFoundException;
import dev.netns.NamespacePermissionException;
import dev.netns.NamespaceUnavailableException;
import dev.netns.NetnsException;
import dev.netns.sample.echo.EchoConflictException;
import dev.netns.sample.events.StreamsUnavailableException;
import dev.netns.sample.web.BodySizeLimit;
import dev.netns.spring.boot.actuate.ReferenceSchemeNotAllowedException;
import dev.netns.spring.boot.autoconfigure.ProcessPrivileges;
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
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error of the API as an RFC 9457 problem detail ({@code application/problem+json}) whose
 * {@code detail} says what went wrong: an unknown namespace is 404, a malformed name or reference
 * 400 (so is a path that is not a network namespace), a missing privilege 403 (with a hint from
 * the process's real uid and capabilities), a reference scheme the API does not serve 403, a name
 * taken 409, a body too large 413, an unreachable Docker engine 503. Each is logged as one line. Spring MVC's own errors (unreadable JSON, wrong method...) are problem
 * details too, through {@link ResponseEntityExceptionHandler}.
 */
@RestControllerAdvice
public class ApiProblems extends ResponseEntityExceptionHandler {

    /** How to run the sample as root, added to the hint of a process that is not root. */
    public static final String RUN_AS_ROOT = "sudo java -jar netns-sample-app/target/netns-sample-app.jar";

    private static final Logger log = LoggerFactory.getLogger(ApiProblems.class);

    /** errno of a file that is not a namespace of the type asked for. */
    private static final int EINVAL = 22;

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

    /** A missing privilege: the hint says what this process really lacks, from its uid and CapEff. */
    @ExceptionHandler
    ProblemDetail forbidden(NamespacePermissionException e) {
        ProcessPrivileges privileges = ProcessPrivileges.current();
        String hint = privileges.hint();
        if (hint.isEmpty()) {
            hint = "Network namespaces need CAP_SYS_ADMIN (and CAP_SYS_PTRACE for other processes' and containers'"
                    + " namespaces)";
        }
        if (privileges.known() && privileges.realUid() != 0 && !privileges.hasCapSysAdmin()) {
            hint += " (" + RUN_AS_ROOT + ")";
        }
        ProblemDetail problem = problem(HttpStatus.FORBIDDEN, "Missing privilege", e);
        problem.setDetail(e.getMessage() + ". " + hint + ".");
        problem.setProperty("hint", hint);
        return problem;
    }

    @ExceptionHandler
    ProblemDetail referenceNotAllowed(ReferenceSchemeNotAllowedException e) {
        return problem(HttpStatus.FORBIDDEN, "Reference scheme not allowed", e);
    }

    @ExceptionHandler
    ProblemDetail streamsUnavailable(StreamsUnavailableException e) {
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "Event streams unavailable", e);
    }

    @ExceptionHandler
    ProblemDetail crossSiteSubscription(NamespaceEventsController.CrossSiteSubscriptionException e) {
        return problem(HttpStatus.FORBIDDEN, "Cross-site subscription refused", e);
    }

    @ExceptionHandler
    ProblemDetail exists(NamespaceExistsException e) {
        return problem(HttpStatus.CONFLICT, "Namespace exists", e);
    }

    @ExceptionHandler
    ProblemDetail unavailable(NamespaceUnavailableException e) {
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "Namespace unavailable", e);
    }

    /** EINVAL from opening or entering: the reference names something that is not a network namespace. */
    @ExceptionHandler
    ProblemDetail netnsFailure(NetnsException e) {
        if (e.errno() == EINVAL) {
            return problem(HttpStatus.BAD_REQUEST, "Not a network namespace", e);
        }
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

    /** Unreadable JSON: say where, not only that it failed; a body read past the limit is 413. */
    @Override
    protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BodySizeLimit.BodyTooLargeException tooLarge) {
                ProblemDetail problem = problem(HttpStatus.CONTENT_TOO_LARGE, "Request body too large", tooLarge);
                return handleExceptionInternal(e, problem, headers, HttpStatus.CONTENT_TOO_LARGE, request);
            }
        }
        log(HttpStatus.BAD_REQUEST, "Unreadable request body", e);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "The request body is not the JSON expected: " + firstLine(e.getMostSpecificCause().getMessage()));
        problem.setTitle("Unreadable request body");
        return handleExceptionInternal(e, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    private static ProblemDetail problem(HttpStatus status, String title, Exception e) {
        log(status, title, e);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, e.getMessage() != null ? e.getMessage() : e.toString());
        problem.setTitle(title);
        return problem;
    }

    /**
     * One line per problem, with the request it answered: client errors at INFO, server errors at
     * WARN; the stack trace only at DEBUG (a bad request is not the server's fault, and a log line
     * per request is enough to see it).
     */
    private static void log(HttpStatus status, String title, Exception e) {
        String request = "";
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
            request = attributes.getRequest().getMethod() + " " + attributes.getRequest().getRequestURI() + " ";
        }
        String line = printable(firstLine(e.getMessage()));
        if (status.is5xxServerError()) {
            log.warn("{}-> {} {}: {}", request, status.value(), title, line);
        } else {
            log.info("{}-> {} {}: {}", request, status.value(), title, line);
        }
        log.debug("{} {}", status.value(), title, e);
    }

    /**
     * The text with every control character, line or paragraph separator and invisible format
     * character written as a Java unicode escape: a name or reference may hold any of them (any web page
     * can send one), and a carriage return or U+2028 would start a forged line in the log.
     */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int type = Character.getType(c);
            if (Character.isISOControl(c) || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                    || type == Character.FORMAT) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
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
