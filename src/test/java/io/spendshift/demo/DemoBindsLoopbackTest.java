package io.spendshift.demo;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the service listens, as the configuration resolves it with the interceptor in place: Quarkus's own
 * default host is 0.0.0.0 in production (localhost in dev and test); demo mode turns an unset host into
 * 127.0.0.1; any host set on purpose wins.
 */
class DemoBindsLoopbackTest {

    static String host(String profile, String quarkusDefault, Map<String, String> properties, Map<String, String> env) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors().withProfile(profile)
                .withInterceptors(new DemoBindsLoopback())
                .withDefaultValue(DemoBindsLoopback.HOST, quarkusDefault)
                .withSources(new PropertiesConfigSource(properties, "application.properties", 250))
                .withSources(new PropertiesConfigSource(env, "environment", 300))
                .build();
        return config.getValue(DemoBindsLoopback.HOST, String.class);
    }

    static Map<String, String> map(String spec) {
        Map<String, String> m = new HashMap<>();
        if (!spec.isBlank()) {
            for (String kv : spec.split(";")) {
                String[] p = kv.split("=", 2);
                m.put(p[0].trim(), p[1].trim());
            }
        }
        return m;
    }

    @ParameterizedTest(name = "{0}: properties [{2}], environment [{3}] -> {4}")
    @CsvSource(delimiter = '|', textBlock = """
            prod | 0.0.0.0   | spendshift.demo=true                             |                                   | 127.0.0.1
            prod | 0.0.0.0   | spendshift.demo=false                            |                                   | 0.0.0.0
            prod | 0.0.0.0   | spendshift.demo=true                             | spendshift.demo=false             | 0.0.0.0
            prod | 0.0.0.0   | spendshift.demo=false                            | spendshift.demo=TRUE              | 127.0.0.1
            prod | 0.0.0.0   | spendshift.demo=${SPENDSHIFT_DEMO:true}          |                                   | 127.0.0.1
            prod | 0.0.0.0   | spendshift.demo=true                             | quarkus.http.host=0.0.0.0         | 0.0.0.0
            prod | 0.0.0.0   | spendshift.demo=true                             | quarkus.http.host=192.0.2.10      | 192.0.2.10
            prod | 0.0.0.0   | spendshift.demo=true;quarkus.http.host=::        |                                   | ::
            prod | 0.0.0.0   |                                                  |                                   | 0.0.0.0
            test | localhost | spendshift.demo=false;%test.spendshift.demo=true |                                   | 127.0.0.1
            test | localhost | spendshift.demo=true;%test.spendshift.demo=false |                                   | localhost
            dev  | localhost | spendshift.demo=yes                              |                                   | 127.0.0.1
            """)
    void demoModeListensOnLoopbackUnlessAHostIsSet(String profile, String quarkusDefault, String properties,
                                                   String env, String expected) {
        assertThat(host(profile, quarkusDefault, map(properties == null ? "" : properties), map(env == null ? "" : env)))
                .isEqualTo(expected);
    }
}
