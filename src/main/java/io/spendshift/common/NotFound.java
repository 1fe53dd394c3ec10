package io.spendshift.common;

/** An id or key that names nothing. */
public class NotFound extends DomainException {

    public NotFound(String what, String key) {
        super(what + " '" + key + "' does not exist");
    }
}
