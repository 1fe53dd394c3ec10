package io.spendshift.policy;

import java.util.Map;

/** A fact that can describe itself for a recommendation's explanation. */
public interface Explainable {

    /** The fields that matter to a reader of the explanation, as plain JSON-ready values. */
    Map<String, Object> snapshot();
}
