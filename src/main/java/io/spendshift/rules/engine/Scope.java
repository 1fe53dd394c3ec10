package io.spendshift.rules.engine;

import java.util.HashSet;
import java.util.Set;

/** The names a rule has bound, and the locals its consequence declares. */
final class Scope {
    final String rule;
    final Set<String> bound = new HashSet<>();
    final Set<String> locals = new HashSet<>();

    Scope(String rule) {
        this.rule = rule;
    }
}
