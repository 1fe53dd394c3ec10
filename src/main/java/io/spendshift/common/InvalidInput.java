package io.spendshift.common;

import java.util.List;

/** Input that breaks a rule of the contract, with one {@link FieldError} per field (or row) at fault. */
public class InvalidInput extends DomainException {

    private final List<FieldError> errors;

    public InvalidInput(String detail, List<FieldError> errors) {
        super(detail);
        this.errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public static InvalidInput of(String detail, List<FieldError> errors) {
        return new InvalidInput(detail, errors);
    }

    public static InvalidInput of(String field, String message) {
        return new InvalidInput(message, List.of(FieldError.of(field, message)));
    }

    @Override
    public List<FieldError> errors() {
        return errors;
    }
}
