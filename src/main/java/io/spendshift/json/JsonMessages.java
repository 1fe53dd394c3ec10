package io.spendshift.json;

import com.fasterxml.jackson.databind.JsonMappingException;

import java.util.stream.Collectors;

/**
 * Jackson's complaints in words a client or a strategist understands: no Java type names, source locations or
 * quoted input. Plain Java, so the rule engine (scenario files) and the HTTP layer (request bodies) say the same.
 */
public final class JsonMessages {

    private JsonMessages() {
    }

    /** What is wrong with one field, in words a client understands (no Java type names). */
    public static String fieldMessage(JsonMappingException e) {
        if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException) {
            return "is not a known field";
        }
        if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException m && m.getTargetType() != null) {
            Class<?> t = m.getTargetType();
            if (t == Integer.class || t == int.class || t == Long.class || t == long.class) {
                return "must be a whole number";
            }
            if (Number.class.isAssignableFrom(t)) {
                return "must be a number";
            }
            if (t == Boolean.class || t == boolean.class) {
                return "must be true or false";
            }
            if (t == String.class) {
                return "must be a string";
            }
            return "has the wrong type";
        }
        return "is not valid";
    }

    /** The JSON path of the field a mapping error is about ({@code webhook.secret}, {@code [3].spend}), or null. */
    public static String fieldPath(JsonMappingException e) {
        String p = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
        return p.isEmpty() ? null : p;
    }

    /**
     * A Jackson message without Java type names, source locations or hints meant for programmers, and without
     * the input it quotes (which may be a credential).
     */
    public static String humanJackson(String m) {
        if (m == null) {
            return "unreadable";
        }
        int nl = m.indexOf('\n');
        if (nl > 0) {
            m = m.substring(0, nl);
        }
        m = m.replaceAll("Unrecognized token '(?:[^']|'')*'", "Unrecognized token")
                .replaceAll("from (String|Number|Integer|Floating-point) value \\('(?:[^']|'')*'\\)", "from a $1 value")
                .replaceAll("from String \"(?:[^\"\\\\]|\\\\.)*\"", "from a String");
        return m.replaceAll("\\s*\\((start marker at|through reference chain|for Object starting at)[^)]*\\)+", "")
                .replaceAll("\\[Source:[^\\]]*\\]", "")
                .replaceAll("\\s*\\(but (might|could) if coercion[^)]*\\)", "")
                .replaceAll("`[a-zA-Z_$][\\w$.]*\\.(\\w+)`", "$1")
                .replaceAll("\\(class [^)]*\\)", "")
                .replaceAll("java\\.[\\w.]+\\.", "")
                .replaceAll("io\\.spendshift\\.[\\w.$]+\\.", "")
                .trim();
    }
}
