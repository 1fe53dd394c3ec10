package io.spendshift.common;

import java.util.List;
import java.util.Map;

/** Input that breaks a rule of the contract, with one {@link FieldError} per field (or row) at fault. */
public class InvalidInput extends DomainException {

    private final List<FieldError> errors;
    private final Map<String, Object> extensions;

    public InvalidInput(String detail, List<FieldError> errors) {
        this(detail, errors, Map.of());
    }

    /** With further members of the problem document, e.g. {@code errorCount} when not every error is listed. */
    public InvalidInput(String detail, List<FieldError> errors, Map<String, Object> extensions) {
        super(detail);
        this.errors = errors == null ? List.of() : List.copyOf(errors);
        this.extensions = extensions == null ? Map.of() : java.util.Collections.unmodifiableMap(
                new java.util.LinkedHashMap<>(extensions));
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

    @Override
    public Map<String, Object> extensions() {
        return extensions;
    }
}
