package io.spendshift.common;

/** A request that the current state does not allow: a concurrent change, a run already in progress. */
public class Conflict extends DomainException {

    public Conflict(String detail) {
        super(detail);
    }
}
