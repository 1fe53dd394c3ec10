package io.spendshift.rules.engine;

/** A compile error: the file (relative path), 1-based line and column where known (0 otherwise), and what is wrong. */
public record CompileError(String file, int line, int column, String message) {
}
