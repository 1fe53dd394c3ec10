package io.spendshift.security;

import java.util.Locale;
import java.util.Set;

/**
 * The names the service itself acts under in the audit trail, {@code decidedBy} and {@code startedBy}. No
 * caller can take one of them ({@link InternalActorGuard}), so an entry by {@code system} is always the service's.
 */
public final class Actors {

    /** Automatic steps: auto-apply, expiry, closing the runs of dead instances, scheduled pulls, the demo portfolio. */
    public static final String SYSTEM = "system";
    /** Scheduled reallocation runs. */
    public static final String SCHEDULER = "scheduler";
    /** What the service does while it starts: loading the rules, recording a new audit key. */
    public static final String STARTUP = "startup";
    /** A reload because a file under the rules folder changed. */
    public static final String FILE_WATCHER = "file-watcher";

    /** Every internal name. */
    public static final Set<String> INTERNAL = Set.of(SYSTEM, SCHEDULER, STARTUP, FILE_WATCHER);

    private Actors() {
    }

    /** Whether a caller's name is (or only differs by case or surrounding blanks from) an internal one. */
    public static boolean isInternal(String name) {
        return name != null && INTERNAL.contains(name.strip().toLowerCase(Locale.ROOT));
    }
}
