package io.spendshift.facts;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.LocalDate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The last computed performance view of each portfolio, valid while its day, the active rule set and the
 * portfolio's data version (bumped in the database by every write that changes its facts, on any instance)
 * stay the same. Concurrent requests for a view not yet computed wait for one computation instead of each
 * running the facts and the rules. One entry per portfolio, so memory is bounded by the number of portfolios.
 */
@ApplicationScoped
public class FactsCache {

    /** What a cached view depends on. */
    public record Key(String portfolio, LocalDate asOf, String ruleSetVersion, long dataVersion) {
    }

    private record Entry(Key key, CompletableFuture<Object> value) {
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    @SuppressWarnings("unchecked")
    public <T> T get(Key key, Supplier<T> compute) {
        Entry mine = new Entry(key, new CompletableFuture<>());
        Entry e = entries.compute(key.portfolio(), (k, old) ->
                old != null && old.key().equals(key) && !old.value().isCompletedExceptionally() ? old : mine);
        if (e == mine) {
            try {
                mine.value().complete(compute.get());
            } catch (RuntimeException ex) {
                entries.remove(key.portfolio(), mine);
                mine.value().completeExceptionally(ex);
                throw ex;
            }
        }
        try {
            return (T) e.value().join();
        } catch (CompletionException ex) {
            throw ex.getCause() instanceof RuntimeException re ? re : ex;
        }
    }

    /** Entries held (one per portfolio seen). */
    public int size() {
        return entries.size();
    }
}
