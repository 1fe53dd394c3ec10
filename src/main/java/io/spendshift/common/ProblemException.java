package io.spendshift.common;

import java.util.List;
import java.util.Map;

/**
 * A failure of the protocol rather than of the domain (too many evaluations, rules that do not compile, the
 * database away during a run), carrying everything an RFC 9457 problem needs. Domain failures are
 * {@link DomainException}s; {@link ProblemMappers} turns both into {@code application/problem+json}.
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
