package io.spendshift.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.persistence.OptimisticLockException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The one place where failures become RFC 9457 problem documents. Domain exceptions carry their meaning
 * ({@link NotFound}, {@link IllegalTransition}, {@link InvalidInput}, ...) and get their status here;
 * protocol failures ({@link ProblemException}) and framework exceptions are translated here too. No stack trace and no Java class
 * name ever reaches a client.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return new Problem(Problem.typeFor(e.status()), e.title(), e.status(), e.getMessage(), path(uri),
                e.errors(), e.extensions()).toResponse();
    }

    /** Every domain failure, by its kind: the only place where they get a status code. */
    @ServerExceptionMapper
    public Response domain(DomainException e, UriInfo uri) {
        int status;
        String title;
        if (e instanceof NotFound) {
            status = 404;
            title = "Not found";
        } else if (e instanceof Conflict) {
            status = 409;
            title = "Conflict";
        } else if (e instanceof VersionMismatch) {
            status = 412;
            title = "Precondition failed";
        } else if (e instanceof MalformedBody m) {
            status = 400;
            title = "Malformed " + m.format();
        } else if (e instanceof TooLarge) {
            status = 413;
            title = "Upload too large";
        } else {
            status = 400;
            title = "Invalid request";
        }
        return new Problem(Problem.typeFor(status), title, status, e.getMessage(), path(uri), e.errors(),
                e.extensions()).toResponse();
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, UriInfo uri) {
        List<FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> FieldError.of(leaf(v.getPropertyPath().toString()), v.getMessage()))
                .sorted(java.util.Comparator.comparing(FieldError::field))
                .toList();
        String detail = errors.stream().map(f -> f.field() + ": " + f.message()).collect(Collectors.joining("; "));
        return new Problem(Problem.typeFor(400), "Invalid request", 400, detail, path(uri), errors, Map.of())
                .toResponse();
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 100)
    public Response mismatchedJson(com.fasterxml.jackson.databind.exc.MismatchedInputException e, UriInfo uri) {
        return json(e, uri);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, UriInfo uri) {
        String field = e instanceof JsonMappingException m ? fieldPath(m) : null;
        if (field != null) {
            String message = fieldMessage((JsonMappingException) e);
            return new Problem(Problem.typeFor(400), "Invalid request", 400, field + " " + message, path(uri),
                    List.of(FieldError.of(field, message)), Map.of()).toResponse();
        }
        return new Problem(Problem.typeFor(400), "Malformed JSON", 400, cleanJacksonMessage(e), path(uri), List.of(),
                Map.of()).toResponse();
    }

    /** What is wrong with one field, in words a client understands (no Java type names). */
    public static String fieldMessage(JsonMappingException e) {
        return io.spendshift.json.JsonMessages.fieldMessage(e);
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, UriInfo uri) {
        return unauthenticated(uri);
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri) {
        return unauthenticated(uri);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return Problem.of(403, "Forbidden", "Your role does not allow this request", path(uri)).toResponse();
    }

    @ServerExceptionMapper
    public Response optimisticLock(OptimisticLockException e, UriInfo uri) {
        return Problem.of(409, "Conflict", "The resource was changed concurrently; read it again and retry",
                path(uri)).toResponse();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException j) {
            return json(j, uri);
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("Request failed", e);
            return Problem.of(status, "Internal error", "The request could not be completed", path(uri)).toResponse();
        }
        String title = Response.Status.fromStatusCode(status) == null ? "Client error"
                : Response.Status.fromStatusCode(status).getReasonPhrase();
        String detail = switch (status) {
            case 404 -> "No resource at " + path(uri);
            case 405 -> "Method not allowed on " + path(uri);
            case 413 -> "The request body is larger than the service accepts";
            case 415 -> "Unsupported content type";
            case 406 -> "None of the accepted media types can be produced";
            default -> title;
        };
        return Problem.of(status, title, detail, path(uri)).toResponse();
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e, UriInfo uri) {
        if (databaseUnreachable(e)) {
            LOG.warnf("Database unreachable: %s", e.getMessage());
            return Response.fromResponse(Problem.of(503, "Service unavailable",
                            "The database cannot be reached; nothing was changed. Try again shortly", path(uri)).toResponse())
                    .header(HttpHeaders.RETRY_AFTER, "5").build();
        }
        LOG.error("Unexpected failure", e);
        return Problem.of(500, "Internal error", "The request could not be completed; the failure is logged",
                path(uri)).toResponse();
    }

    /** A failure to connect to (or keep) the database: a connection error anywhere in the cause chain. */
    public static boolean databaseUnreachable(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof java.sql.SQLTransientConnectionException || t instanceof java.sql.SQLNonTransientConnectionException
                    || t instanceof org.hibernate.exception.JDBCConnectionException
                    || t instanceof java.sql.SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }

    private static Response unauthenticated(UriInfo uri) {
        Response r = Problem.of(401, "Unauthorized", "Valid credentials are required", path(uri)).toResponse();
        return Response.fromResponse(r).header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"spendshift\"").build();
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getRequestUri().getRawPath();
    }

    private static String leaf(String propertyPath) {
        // "create.body.key" -> "key"; "upsert.body.dailyBudget" -> "dailyBudget"
        String[] parts = propertyPath.split("\\.");
        int start = Math.min(parts.length - 1, 2);
        return String.join(".", java.util.Arrays.copyOfRange(parts, start, parts.length));
    }

    /** The JSON path of the field a mapping error is about ({@code webhook.secret}, {@code [3].spend}), or null. */
    public static String fieldPath(JsonMappingException e) {
        return io.spendshift.json.JsonMessages.fieldPath(e);
    }

    /** Jackson messages name Java types; keep only the human part. */
    static String cleanJacksonMessage(JsonProcessingException e) {
        return "The body is not valid JSON: " + humanJackson(e.getOriginalMessage());
    }

    /**
     * A Jackson message without Java type names, source locations or hints meant for programmers, and without
     * the input it quotes (which may be a credential).
     */
    public static String humanJackson(String m) {
        return io.spendshift.json.JsonMessages.humanJackson(m);
    }
}
