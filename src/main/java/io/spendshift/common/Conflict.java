package io.spendshift.common;

import java.util.List;

/**
 * A request that the current state does not allow: a concurrent change, a run already in progress, a plan that no
 * longer fits its channels. {@code errors} name what is at fault, when there is something to name.
 */
public class Conflict extends DomainException {

    private final List<FieldError> errors;

    public Conflict(String detail) {
        this(detail, List.of());
    }

    public Conflict(String detail, List<FieldError> errors) {
        super(detail);
        this.errors = errors == null ? List.of() : List.copyOf(errors);
    }

    @Override
    public List<FieldError> errors() {
        return errors;
    }
}
