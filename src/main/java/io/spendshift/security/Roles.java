package io.spendshift.security;

import java.util.List;

/** The roles of API.md. */
public final class Roles {
    public static final String VIEWER = "viewer";
    public static final String STRATEGIST = "strategist";
    public static final String APPROVER = "approver";
    public static final String ADMIN = "admin";
    public static final String INGEST = "ingest";

    /** Every role, in the order they are shown. */
    public static final List<String> ALL = List.of(VIEWER, STRATEGIST, APPROVER, ADMIN, INGEST);

    private Roles() {
    }

    /** Whether {@code name} is one of the five roles (exactly, in lower case). */
    public static boolean isRole(String name) {
        return name != null && ALL.contains(name);
    }

    /** {@code roles} in the order of {@link #ALL}, without duplicates. */
    public static List<String> ordered(java.util.Collection<String> roles) {
        return ALL.stream().filter(roles::contains).toList();
    }
}
