package io.spendshift.rules.engine;

import io.spendshift.policy.Boost;
import io.spendshift.policy.ChannelFacts;
import io.spendshift.policy.Explainable;
import io.spendshift.policy.Hold;
import io.spendshift.policy.PortfolioFacts;
import io.spendshift.policy.ShiftProposal;
import io.spendshift.policy.Trim;
import org.kie.api.KieBase;
import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.event.rule.DefaultRuleRuntimeEventListener;
import org.kie.api.event.rule.ObjectUpdatedEvent;
import org.kie.api.runtime.KieSession;

import java.math.BigDecimal;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs the rules once: a fresh {@link KieSession} from the shared {@link KieBase}, facts in,
 * {@code fireAllRules(limit)}, outputs read back (in a stable order), session always disposed. An agenda listener
 * records every firing with the facts it matched, which becomes the recommendation's explanation.
 *
 * <p>The explanation is built lazily: a firing keeps references to its facts, and the snapshots are taken the
 * first time {@link Evaluation#explanation()} is read (only a run that stores a recommendation reads it). The
 * facts do not change after the session, so a late snapshot equals one taken at the firing, unless a rule
 * updated a fact ({@code modify}/{@code update}): from the first update on, firings are snapshotted when they
 * happen, and the firings before it are snapshotted at that moment.
 */
public final class PolicyEvaluator {

    /** Firings allowed per fact before the evaluation is declared a loop. */
    public static final int FIRINGS_PER_FACT = 50;
    /** Firings kept in the explanation; counts are always complete. */
    public static final int MAX_EXPLAINED_FIRINGS = 5_000;

    private static final com.fasterxml.jackson.databind.ObjectMapper BEANS = new com.fasterxml.jackson.databind.ObjectMapper()
            .disable(com.fasterxml.jackson.databind.SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private PolicyEvaluator() {
    }

    public static Evaluation evaluate(KieBase kieBase, PortfolioFacts portfolio, List<ChannelFacts> channels) {
        return evaluate(kieBase, portfolio, channels, true);
    }

    /**
     * {@code explain = false} records no firings (counts are still kept), for dry runs, simulations and benchmarks;
     * {@code explain = true} keeps references to each firing's facts, snapshotted only if the explanation is read.
     */
    public static Evaluation evaluate(KieBase kieBase, PortfolioFacts portfolio, List<ChannelFacts> channels,
                                      boolean explain) {
        int limit = FIRINGS_PER_FACT * (channels.size() + 10);
        KieSession session = kieBase.newKieSession();
        Map<String, Integer> fired = new TreeMap<>();
        LazyExplanation explanation = new LazyExplanation();
        EvaluationWatchdog.Watched watched = null;
        try {
            watched = EvaluationWatchdog.enter(session);
            Thread self = Thread.currentThread();
            session.addEventListener(new DefaultAgendaEventListener() {
                @Override
                public void beforeMatchFired(org.kie.api.event.rule.BeforeMatchFiredEvent event) {
                    // a stopped evaluation (its caller's time ran out, or the watchdog's memory budget) ends
                    // between two firings: halt() lets the current firing finish and fires nothing more
                    if (self.isInterrupted()) {
                        session.halt();
                    }
                }

                @Override
                public void afterMatchFired(AfterMatchFiredEvent event) {
                    String rule = event.getMatch().getRule().getName();
                    fired.merge(rule, 1, Integer::sum);
                    if (explain && explanation.recorded() < MAX_EXPLAINED_FIRINGS) {
                        explanation.record(rule, event.getMatch().getObjects());
                    }
                }
            });
            if (explain) {
                session.addEventListener(new DefaultRuleRuntimeEventListener() {
                    @Override
                    public void objectUpdated(ObjectUpdatedEvent event) {
                        explanation.factsChange();
                    }
                });
            }
            session.insert(portfolio);
            for (ChannelFacts c : channels) {
                session.insert(c);
            }
            int n = session.fireAllRules(limit);
            RuleLimitException stopped = EvaluationWatchdog.stoppedBy(watched);
            if (stopped != null) {
                throw stopped;
            }
            if (self.isInterrupted()) {
                throw new RuleLimitException("time", "the evaluation was stopped before it finished");
            }
            if (n >= limit) {
                String worst = fired.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                        .orElse("?");
                throw new RuleLoopException(worst, n, limit);
            }
            return new Evaluation(
                    objects(session, ShiftProposal.class, PROPOSALS),
                    objects(session, Hold.class, HOLDS),
                    objects(session, Trim.class, TRIMS),
                    objects(session, Boost.class, BOOSTS),
                    objects(session, io.spendshift.policy.SetBudget.class, SET_BUDGETS),
                    objects(session, io.spendshift.policy.Cap.class, CAPS),
                    objects(session, io.spendshift.policy.Floor.class, FLOORS),
                    objects(session, io.spendshift.policy.Flag.class, FLAGS),
                    fired, explain ? explanation : List.of());
        } catch (Error e) {
            // stopped outright by the watchdog (ThreadDeath) or over its budget: say which limit
            RuleLimitException stopped = watched == null ? null : EvaluationWatchdog.stoppedBy(watched);
            if (stopped != null) {
                throw stopped;
            }
            // an Error from inside the engine (a Drools bug, a stack overflow) must not escape handlers written
            // for exceptions: runs would stay RUNNING and reads answer raw 500s
            throw new RuleEvaluationException(e);
        } catch (RuntimeException e) {
            // a consequence interrupted half-way fails with whatever it was doing: the limit is the reason
            RuleLimitException stopped = watched == null ? null : EvaluationWatchdog.stoppedBy(watched);
            if (stopped != null && stopped != e) {
                throw stopped;
            }
            throw e;
        } finally {
            if (watched != null) {
                EvaluationWatchdog.exit(watched);
            }
            session.dispose();
        }
    }

    private static <T> List<T> objects(KieSession session, Class<T> type, Comparator<T> order) {
        List<T> out = new ArrayList<>();
        for (Object o : session.getObjects(type::isInstance)) {
            out.add(type.cast(o));
        }
        out.sort(order);
        return out;
    }

    // Outputs in a deterministic order, field by field in the order of the record's components (what sorting by
    // toString() gave, without building a string per comparison: that was two thirds of the rule stage at 10,000
    // channels). Amounts compare by value, then by scale, so that no two distinct outputs tie.
    private static final Comparator<String> TEXT = Comparator.nullsFirst(Comparator.naturalOrder());
    private static final Comparator<BigDecimal> AMOUNT = Comparator.nullsFirst(
            Comparator.<BigDecimal>naturalOrder().thenComparingInt(BigDecimal::scale));

    public static final Comparator<ShiftProposal> PROPOSALS = Comparator.comparing(ShiftProposal::from, TEXT)
            .thenComparing(ShiftProposal::to, TEXT).thenComparing(ShiftProposal::amount, AMOUNT)
            .thenComparing(ShiftProposal::rule, TEXT).thenComparing(ShiftProposal::reason, TEXT);
    public static final Comparator<Hold> HOLDS = Comparator.comparing(Hold::channel, TEXT)
            .thenComparing(Hold::reason, TEXT);
    public static final Comparator<Trim> TRIMS = Comparator.comparing(Trim::channel, TEXT)
            .thenComparing(Trim::amount, AMOUNT).thenComparing(Trim::rule, TEXT).thenComparing(Trim::reason, TEXT);
    public static final Comparator<Boost> BOOSTS = Comparator.comparing(Boost::channel, TEXT)
            .thenComparingDouble(Boost::weight).thenComparing(Boost::rule, TEXT).thenComparing(Boost::reason, TEXT);
    public static final Comparator<io.spendshift.policy.SetBudget> SET_BUDGETS = Comparator
            .comparing(io.spendshift.policy.SetBudget::channel, TEXT)
            .thenComparing(io.spendshift.policy.SetBudget::amount, AMOUNT)
            .thenComparing(io.spendshift.policy.SetBudget::rule, TEXT)
            .thenComparing(io.spendshift.policy.SetBudget::reason, TEXT);
    public static final Comparator<io.spendshift.policy.Cap> CAPS = Comparator
            .comparing(io.spendshift.policy.Cap::channel, TEXT).thenComparing(io.spendshift.policy.Cap::tag, TEXT)
            .thenComparingDouble(io.spendshift.policy.Cap::pct).thenComparing(io.spendshift.policy.Cap::rule, TEXT)
            .thenComparing(io.spendshift.policy.Cap::reason, TEXT);
    public static final Comparator<io.spendshift.policy.Floor> FLOORS = Comparator
            .comparing(io.spendshift.policy.Floor::channel, TEXT).thenComparing(io.spendshift.policy.Floor::tag, TEXT)
            .thenComparingDouble(io.spendshift.policy.Floor::pct).thenComparing(io.spendshift.policy.Floor::rule, TEXT)
            .thenComparing(io.spendshift.policy.Floor::reason, TEXT);
    public static final Comparator<io.spendshift.policy.Flag> FLAGS = Comparator
            .comparing(io.spendshift.policy.Flag::channel, TEXT).thenComparing(io.spendshift.policy.Flag::severity, TEXT)
            .thenComparing(io.spendshift.policy.Flag::message, TEXT).thenComparing(io.spendshift.policy.Flag::rule, TEXT);

    /**
     * The firings of one evaluation as references to their facts, snapshotted on first read. Written by the
     * session's thread while it fires, read (and materialised) after it ended, possibly by another thread.
     */
    private static final class LazyExplanation extends AbstractList<Evaluation.Firing> {
        private final List<String> rules = new ArrayList<>();
        private final List<Object> facts = new ArrayList<>();
        /** Firings already snapshotted; all of them once {@link #eager} or once read. */
        private final List<Evaluation.Firing> done = new ArrayList<>();
        private boolean eager;

        int recorded() {
            return rules.size() + done.size();
        }

        void record(String rule, List<? extends Object> matched) {
            if (eager) {
                done.add(new Evaluation.Firing(rule, snapshots(matched)));
            } else {
                rules.add(rule);
                facts.add(matched.toArray());
            }
        }

        /** A rule updated a fact: what was recorded so far is snapshotted now, later firings when they happen. */
        void factsChange() {
            if (!eager) {
                materialise();
                eager = true;
            }
        }

        private synchronized List<Evaluation.Firing> materialise() {
            for (int i = 0; i < rules.size(); i++) {
                done.add(new Evaluation.Firing(rules.get(i), snapshots(java.util.Arrays.asList((Object[]) facts.get(i)))));
            }
            rules.clear();
            facts.clear();
            return done;
        }

        @Override
        public Evaluation.Firing get(int index) {
            return materialise().get(index);
        }

        @Override
        public int size() {
            return recorded();
        }

        private static List<Map<String, Object>> snapshots(List<? extends Object> matched) {
            List<Map<String, Object>> out = new ArrayList<>(matched.size());
            for (Object o : matched) {
                out.add(snapshot(o));
            }
            return out;
        }
    }

    private static Map<String, Object> snapshot(Object o) {
        if (o instanceof Explainable e) {
            return e.snapshot();
        }
        // an accumulate with several functions matches an Object[] of its results, a single function its value:
        // shown as values (String.valueOf of an array gave "[Ljava.lang.Object;@2554562d" in API answers)
        if (o instanceof Object[] || o instanceof Number || o instanceof CharSequence || o instanceof Boolean
                || o instanceof java.util.Collection<?>) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", "Aggregate");
            m.put("values", plain(o));
            return m;
        }
        // types declared in DRL are plain beans: show their fields
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", o.getClass().getSimpleName());
        try {
            m.putAll(BEANS.convertValue(o, new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { }));
        } catch (IllegalArgumentException e) {
            m.put("value", o.getClass().getSimpleName());
        }
        return m;
    }

    /** Plain JSON values: numbers, text, booleans, lists of them, snapshots of facts; nothing else as object text. */
    private static Object plain(Object o) {
        if (o == null || o instanceof Number || o instanceof CharSequence || o instanceof Boolean) {
            return o instanceof CharSequence c ? c.toString() : o;
        }
        if (o instanceof Object[] a) {
            List<Object> out = new ArrayList<>(a.length);
            for (Object x : a) {
                out.add(plain(x));
            }
            return out;
        }
        if (o instanceof java.util.Collection<?> c) {
            List<Object> out = new ArrayList<>(c.size());
            for (Object x : c) {
                out.add(plain(x));
            }
            return out;
        }
        return snapshot(o);
    }
}
