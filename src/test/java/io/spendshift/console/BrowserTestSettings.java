package io.spendshift.console;

import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.SmallRyeConfigBuilderCustomizer;

/**
 * The browser tests' switches ({@code spendshift.browser.required}, {@code .chromium}, {@code .chromedriver}) are
 * system properties of the test JVM, not service configuration. Surefire hands them (and every {@code -D} of the
 * Maven command line) to that JVM, where the service's {@code spendshift.*} mapping would refuse them as unknown
 * and the service would not start; this tells it to ignore them, in tests only (registered in
 * {@code src/test/resources/META-INF/services}), so that typos in the rest of {@code spendshift.*} still fail.
 */
public class BrowserTestSettings implements SmallRyeConfigBuilderCustomizer {

    @Override
    public void configBuilder(SmallRyeConfigBuilder builder) {
        builder.withMappingIgnore("spendshift.browser.**");
    }
}
