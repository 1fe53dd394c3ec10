package io.spendshift.common;

import java.util.List;
import java.util.Map;

/**
 * A failure the client can act on, carrying everything an RFC 9457 problem needs. Domain code throws the
 * named factories ({@link #notFound}, {@link #conflict}, ...) and the global mapper turns them into
 * {@code application/problem+json}.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String title;
    private final List<?> errors;
    private final Map<String, Object> extensions;

    public ProblemException(int status, String title, String detail, List<?> errors, Map<String, Object> extensions) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
        this.extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
    }

    public static ProblemException badRequest(String detail, List<FieldError> errors) {
        return new ProblemException(400, "Invalid request", detail, errors, null);
    }

    public static ProblemException badRequest(String field, String message) {
        return badRequest(message, List.of(FieldError.of(field, message)));
    }

    public static ProblemException notFound(String what, String key) {
        return new ProblemException(404, "Not found", what + " '" + key + "' does not exist", null, null);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, "Conflict", detail, null, null);
    }

    public static ProblemException preconditionFailed(String detail) {
        return new ProblemException(412, "Precondition failed", detail, null, null);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public List<?> errors() {
        return errors;
    }

    public Map<String, Object> extensions() {
        return extensions;
    }
}
