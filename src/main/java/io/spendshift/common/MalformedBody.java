package io.spendshift.common;

import java.util.List;

/** A request body that cannot be read as its format ({@code JSON}, {@code CSV}) at all. */
public class MalformedBody extends InvalidInput {

    private final String format;

    public MalformedBody(String format, String detail, List<FieldError> errors) {
        super(detail, errors);
        this.format = format;
    }

    /** The format the body should have had: {@code JSON} or {@code CSV}. */
    public String format() {
        return format;
    }
}
