package io.spendshift.common;

import java.util.List;

/**
 * A failure that means something in the domain (an unknown key, an illegal transition, bad input), thrown by
 * entities, validators and services without any notion of HTTP. {@link ProblemMappers} is the one place that
 * turns each kind into a status code and a problem document.
 */
public abstract class DomainException extends RuntimeException {

    protected DomainException(String detail) {
        super(detail);
    }

    /** The fields at fault, for validation failures; empty otherwise. */
    public List<?> errors() {
        return List.of();
    }

    /** Further members of the problem document (counts, the limit that was exceeded); none by default. */
    public java.util.Map<String, Object> extensions() {
        return java.util.Map.of();
    }
}
