package io.spendshift.common;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One validation failure: the field, what is wrong, and for batches the 1-based data row. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FieldError(String field, String message, Integer row) {

    public static FieldError of(String field, String message) {
        return new FieldError(field, message, null);
    }
}
