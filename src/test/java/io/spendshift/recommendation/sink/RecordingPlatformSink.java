package io.spendshift.recommendation.sink;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A further budget sink as an ad platform's would be (see {@link BudgetSinks}): it keeps the change sets of each
 * portfolio, and refuses those of the portfolios a test names. Every other test's portfolios pass through untouched.
 */
@ApplicationScoped
@Identifier("test-platform")
public class RecordingPlatformSink implements BudgetSink {

    static final Map<String, List<ChangeSet>> RECEIVED = new ConcurrentHashMap<>();
    static final Set<String> REFUSING = ConcurrentHashMap.newKeySet();

    @Override
    public void deliver(ChangeSet changes, Destination to) {
        if (REFUSING.contains(changes.portfolio())) {
            throw new SinkException("the test platform refused the change: campaign paused");
        }
        RECEIVED.computeIfAbsent(changes.portfolio(), k -> new CopyOnWriteArrayList<>()).add(changes);
    }

    /** The change sets this sink took for {@code portfolio}, in order. */
    public static List<ChangeSet> of(String portfolio) {
        return RECEIVED.getOrDefault(portfolio, List.of());
    }
}
