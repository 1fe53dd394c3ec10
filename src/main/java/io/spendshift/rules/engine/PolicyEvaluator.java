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
import org.kie.api.runtime.KieSession;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs the rules once: a fresh {@link KieSession} from the shared {@link KieBase}, facts in,
 * {@code fireAllRules(limit)}, outputs read back, session always disposed. An agenda listener records every
 * firing with a snapshot of the facts it matched, which becomes the recommendation's explanation.
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

    /** {@code explain = false} skips fact snapshots (counts are still kept), for large portfolios and benchmarks. */
    public static Evaluation evaluate(KieBase kieBase, PortfolioFacts portfolio, List<ChannelFacts> channels,
                                      boolean explain) {
        int limit = FIRINGS_PER_FACT * (channels.size() + 10);
        KieSession session = kieBase.newKieSession();
        Map<String, Integer> fired = new TreeMap<>();
        List<Evaluation.Firing> explanation = new ArrayList<>();
        try {
            session.addEventListener(new DefaultAgendaEventListener() {
                @Override
                public void afterMatchFired(AfterMatchFiredEvent event) {
                    String rule = event.getMatch().getRule().getName();
                    fired.merge(rule, 1, Integer::sum);
                    if (explain && explanation.size() < MAX_EXPLAINED_FIRINGS) {
                        List<Map<String, Object>> facts = new ArrayList<>();
                        for (Object o : event.getMatch().getObjects()) {
                            facts.add(snapshot(o));
                        }
                        explanation.add(new Evaluation.Firing(rule, facts));
                    }
                }
            });
            session.insert(portfolio);
            for (ChannelFacts c : channels) {
                session.insert(c);
            }
            int n = session.fireAllRules(limit);
            if (n >= limit) {
                String worst = fired.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                        .orElse("?");
                throw new RuleLoopException(worst, n, limit);
            }
            return new Evaluation(
                    objects(session, ShiftProposal.class),
                    objects(session, Hold.class),
                    objects(session, Trim.class),
                    objects(session, Boost.class),
                    objects(session, io.spendshift.policy.SetBudget.class),
                    objects(session, io.spendshift.policy.Cap.class),
                    objects(session, io.spendshift.policy.Floor.class),
                    objects(session, io.spendshift.policy.Flag.class),
                    fired, explanation);
        } finally {
            session.dispose();
        }
    }

    private static <T> List<T> objects(KieSession session, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Object o : session.getObjects(type::isInstance)) {
            out.add(type.cast(o));
        }
        out.sort(java.util.Comparator.comparing(Object::toString));
        return out;
    }

    private static Map<String, Object> snapshot(Object o) {
        if (o instanceof Explainable e) {
            return e.snapshot();
        }
        // types declared in DRL are plain beans: show their fields
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", o.getClass().getSimpleName());
        try {
            m.putAll(BEANS.convertValue(o, new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { }));
        } catch (IllegalArgumentException e) {
            m.put("value", String.valueOf(o));
        }
        return m;
    }
}
