package io.spendshift.outbound;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The outbound policy on its own, with an explicit allow list and a table for DNS, so the address classes are
 * proven whatever the service's configuration: nothing here opens a connection or asks a real resolver.
 */
class OutboundPolicyTest {

    /** Names the tests resolve; anything else does not exist. */
    static final Map<String, List<String>> DNS = Map.of(
            "public.example", List.of("93.184.216.34"),
            "mixed.example", List.of("93.184.216.34", "10.0.0.5"),
            "private.example", List.of("10.1.2.3"),
            "listed.example", List.of("10.9.9.9"),
            "v6private.example", List.of("fd12::1"),
            "inrange.example", List.of("10.20.7.7"));

    static InetAddress[] resolve(String host) throws UnknownHostException {
        List<String> ips = DNS.get(host);
        if (ips == null) {
            throw new UnknownHostException("no such host in the test table");
        }
        InetAddress[] out = new InetAddress[ips.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = AllowList.literal(ips.get(i));
        }
        return out;
    }

    static final AllowList ALLOW = AllowList.parse(List.of("127.0.0.1, 10.20.0.0/16", "listed.example",
            "[fd00:aaaa::/32]"));
    static final OutboundPolicy DEMO = new OutboundPolicy(ALLOW, false, OutboundPolicyTest::resolve);
    static final OutboundPolicy PROD = new OutboundPolicy(ALLOW, true, OutboundPolicyTest::resolve);

    @ParameterizedTest(name = "{0} is refused as {1}")
    @CsvSource(delimiter = '|', textBlock = """
            http://127.0.0.2/x                              | loopback
            http://127.1.2.3:8080/                          | loopback
            http://[::1]:8080/q/metrics                     | loopback
            http://localhost:8080/q/metrics                 | loopback
            http://LOCALHOST./                              | loopback
            http://tenant.localhost/                        | loopback
            http://10.0.0.1/                                | private
            http://172.16.0.1/                              | private
            http://172.31.255.254/                          | private
            http://192.168.1.1/                             | private
            http://[fc00::1]/                               | private
            http://[fd12:3456::1]/                          | private
            http://169.254.1.1/                             | link-local
            http://[fe80::1]/                               | link-local
            http://169.254.169.254/latest/meta-data/        | cloud metadata
            http://[fd00:ec2::254]/latest/meta-data/        | cloud metadata
            http://metadata.google.internal/computeMetadata | cloud metadata
            http://Metadata.Google.Internal./               | cloud metadata
            http://0.0.0.0:8080/                            | unspecified
            http://[::]/                                    | unspecified
            http://100.64.0.1/                              | carrier-grade NAT
            http://100.127.255.254/                         | carrier-grade NAT
            http://224.0.0.1/                               | multicast
            http://239.255.255.250/                         | multicast
            http://[ff02::1]/                               | multicast
            http://255.255.255.255/                         | broadcast
            http://240.0.0.1/                               | reserved
            http://[::ffff:10.0.0.1]/                       | private
            http://[::ffff:169.254.169.254]/                | cloud metadata
            http://[64:ff9b::a9fe:a9fe]/                    | cloud metadata
            http://[2002:7f00:1::]/                         | loopback
            http://10.21.0.1/                               | private
            http://private.example/                         | private
            http://mixed.example/                           | private
            http://v6private.example/                       | private
            """)
    void aNonPublicDestinationIsRefusedWhenSavedAndWhenCalled(String url, String kind) {
        assertThat(DEMO.problem(url)).isEqualTo("must not point to " + (kind.equals("unspecified") ? "an " : "a ") + kind
                + " address unless it is listed in spendshift.outbound.allow");
        assertThatThrownBy(() -> DEMO.check(URI.create(url))).isInstanceOf(OutboundRefusedException.class)
                .hasMessage("refused: destination not allowed (" + kind + " address)");
    }

    @ParameterizedTest(name = "{0} may be called")
    @ValueSource(strings = {"http://93.184.216.34/perf", "https://public.example/perf?x=1", "http://[2001:4860:4860::8888]/",
            "http://172.32.0.1/", "http://100.128.0.1/", "http://11.0.0.1/", "http://169.255.0.1/",
            // listed: an address, an address in a listed range, a listed name whatever it resolves to
            "http://127.0.0.1:9/x", "http://10.20.3.4/", "http://10.20.255.255/", "http://inrange.example/",
            "http://listed.example/", "http://LISTED.example./", "http://[fd00:aaaa::5]/"})
    void publicAndListedDestinationsPass(String url) throws UnknownHostException {
        assertThat(DEMO.problem(url)).isNull();
        assertThat(DEMO.check(URI.create(url))).isNotEmpty();
    }

    @Test
    void everyAddressAHostResolvesToMustBeAllowed() throws UnknownHostException {
        assertThat(DEMO.check(URI.create("https://public.example/"))).extracting(InetAddress::getHostAddress)
                .containsExactly("93.184.216.34");
        assertThatThrownBy(() -> DEMO.check(URI.create("https://mixed.example/")))
                .isInstanceOf(OutboundRefusedException.class);
    }

    @Test
    void aNameThatResolvedToAPublicAddressWhenSavedIsCheckedAgainWhenCalled() {
        AtomicInteger lookups = new AtomicInteger();
        // DNS rebinding: the first answer is public, every later one points inside
        OutboundPolicy rebinding = new OutboundPolicy(AllowList.none(), false, host -> new InetAddress[]{
                AllowList.literal(lookups.incrementAndGet() == 1 ? "93.184.216.34" : "169.254.169.254")});
        assertThat(rebinding.problem("https://rebind.example/perf")).isNull();
        assertThatThrownBy(() -> rebinding.check(URI.create("https://rebind.example/perf")))
                .isInstanceOf(OutboundRefusedException.class)
                .hasMessage("refused: destination not allowed (cloud metadata address)");
    }

    @Test
    void aNameThatDoesNotResolveMayBeSavedButNotCalled() {
        assertThat(DEMO.problem("https://not-yet.example/perf")).isNull();
        assertThatThrownBy(() -> DEMO.check(URI.create("https://not-yet.example/perf")))
                .isInstanceOf(UnknownHostException.class);
    }

    @Test
    void outsideDemoModeOnlyHttpsUnlessTheHostIsListed() throws UnknownHostException {
        assertThat(PROD.problem("http://public.example/perf")).startsWith("must use https");
        assertThatThrownBy(() -> PROD.check(URI.create("http://public.example/perf")))
                .hasMessage("refused: https required");
        assertThat(PROD.problem("https://public.example/perf")).isNull();
        assertThat(PROD.problem("HTTPS://public.example/perf")).isNull();
        assertThat(PROD.problem("http://127.0.0.1:8080/perf")).isNull();
        assertThat(PROD.problem("http://listed.example/perf")).isNull();
        assertThat(PROD.check(URI.create("http://10.20.1.1/perf"))).isNotEmpty();
        assertThat(DEMO.problem("http://public.example/perf")).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ftp://public.example/", "file:///etc/passwd", "not a url", "/relative/path", "http:///no-host",
            "gopher://127.0.0.1/", "http://[::1/"})
    void onlyAbsoluteHttpUrlsAreAccepted(String url) {
        assertThat(DEMO.problem(url)).isEqualTo("must be an absolute http or https URL");
    }

    @Test
    void credentialsInTheUrlAreRefused() {
        assertThat(DEMO.problem("https://user:password@public.example/perf")).startsWith("must not carry credentials");
        assertThatThrownBy(() -> DEMO.check(URI.create("https://user:password@public.example/perf")))
                .hasMessage("refused: credentials in the URL");
    }

    @Test
    void originsCompareSchemeHostAndEffectivePort() {
        assertThat(OutboundPolicy.sameOrigin(URI.create("https://a.example/x"), URI.create("https://A.example:443/y")))
                .isTrue();
        assertThat(OutboundPolicy.sameOrigin(URI.create("http://a.example/x"), URI.create("https://a.example/x")))
                .isFalse();
        assertThat(OutboundPolicy.sameOrigin(URI.create("http://127.0.0.1:8080/"), URI.create("http://127.0.0.1:8081/")))
                .isFalse();
        assertThat(OutboundPolicy.sameOrigin(URI.create("http://a.example/"), URI.create("http://b.example/"))).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"10.0.0.0/33", "not a host!", "999.1.1.1", "10.0.0.1/x", "fd00::/129", "host.example/8"})
    void aBadAllowListEntryStopsTheStart(String entry) {
        assertThatThrownBy(() -> AllowList.parse(List.of(entry))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("spendshift.outbound.allow");
    }

    @Test
    void anEmptyAllowListAllowsNothingNonPublic() {
        AllowList none = AllowList.parse(List.of(" ", ""));
        assertThat(none.isEmpty()).isTrue();
        OutboundPolicy strict = new OutboundPolicy(none, false, OutboundPolicyTest::resolve);
        assertThat(strict.problem("http://127.0.0.1:8080/")).contains("loopback");
        assertThat(strict.problem("http://10.20.0.1/")).contains("private");
    }
}
