package io.spendshift.common;

/** The version the caller based a change on ({@code If-Match}) is no longer the current one. */
public class VersionMismatch extends DomainException {

    public VersionMismatch(String detail) {
        super(detail);
    }
}
