package io.spendshift.security;

/** The roles of API.md. */
public final class Roles {
    public static final String VIEWER = "viewer";
    public static final String STRATEGIST = "strategist";
    public static final String APPROVER = "approver";
    public static final String ADMIN = "admin";
    public static final String INGEST = "ingest";

    /** Every role, in the order they are shown. */
    public static final java.util.List<String> ALL = java.util.List.of(VIEWER, STRATEGIST, APPROVER, ADMIN, INGEST);

    private Roles() {
    }
}
