package io.spendshift.common;

/** A move of a state machine (a recommendation's status) that its transition table does not allow. */
public class IllegalTransition extends Conflict {

    public IllegalTransition(String detail) {
        super(detail);
    }
}
