package io.spendshift.demo;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;
import jakarta.annotation.Priority;

import java.util.Locale;
import java.util.Set;

/**
 * In demo mode the service listens on 127.0.0.1 only, because its demo users have published passwords. This
 * interceptor answers {@code quarkus.http.host} (a run-time property) with {@code 127.0.0.1} when
 * {@code spendshift.demo} is on and nobody set the host: a value from a real source (application.properties,
 * {@code QUARKUS_HTTP_HOST}, a system property) always wins, so {@code QUARKUS_HTTP_HOST=0.0.0.0} exposes a demo
 * on purpose. With demo mode off it changes nothing: Quarkus's own default applies (0.0.0.0 in production).
 * Registered in {@code META-INF/services/io.smallrye.config.ConfigSourceInterceptor}; it runs outside the
 * profile and expression interceptors, so it sees {@code %test.spendshift.demo} and {@code ${...}} resolved.
 */
@Priority(Priorities.APPLICATION + 100)
public class DemoBindsLoopback implements ConfigSourceInterceptor {

    static final String HOST = "quarkus.http.host";
    static final String DEMO = "spendshift.demo";
    static final String LOOPBACK = "127.0.0.1";
    static final String SOURCE = "spendshift demo mode (loopback only; set QUARKUS_HTTP_HOST to change)";
    /** Quarkus's mode-dependent defaults and the run-time defaults recorded at build time sit far below 0. */
    static final int EXPLICIT_ORDINAL = 0;
    private static final Set<String> TRUE = Set.of("true", "1", "yes", "y", "on");

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (!HOST.equals(name) || value != null && value.getConfigSourceOrdinal() > EXPLICIT_ORDINAL) {
            return value;
        }
        ConfigValue demo = context.proceed(DEMO);
        if (demo == null || demo.getValue() == null || !TRUE.contains(demo.getValue().trim().toLowerCase(Locale.ROOT))) {
            return value;
        }
        return ConfigValue.builder().withName(HOST).withValue(LOOPBACK).withRawValue(LOOPBACK)
                .withConfigSourceName(SOURCE).withConfigSourceOrdinal(EXPLICIT_ORDINAL).build();
    }
}
