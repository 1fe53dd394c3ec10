package io.spendshift.outbound;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The guarded client against two local servers on 127.0.0.1 (two ports, so two origins): redirects are
 * followed only within one origin and only a few times, and a refused destination receives nothing.
 */
class GuardedHttpClientTest {

    static final OutboundPolicy LOOPBACK_ALLOWED = new OutboundPolicy(AllowList.parse(List.of("127.0.0.1")), false,
            InetAddress::getAllByName);

    HttpServer home;
    HttpServer other;
    final List<String> homeSaw = new CopyOnWriteArrayList<>();
    final List<String> otherSaw = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        home = server(homeSaw);
        other = server(otherSaw);
    }

    @AfterEach
    void stop() {
        home.stop(0);
        other.stop(0);
    }

    /** A server that answers /redirect?to=<location>&status=<code> with that redirect, anything else with 200. */
    static HttpServer server(List<String> saw) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s.createContext("/", ex -> {
            saw.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + " auth=" + ex.getRequestHeaders().getFirst("Authorization"));
            ex.getRequestBody().readAllBytes();
            Map<String, String> q = query(ex.getRequestURI());
            if (ex.getRequestURI().getPath().equals("/redirect")) {
                ex.getResponseHeaders().add("Location", q.get("to"));
                ex.sendResponseHeaders(Integer.parseInt(q.getOrDefault("status", "302")), -1);
            } else {
                byte[] body = "final".getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
            ex.close();
        });
        s.start();
        return s;
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> m = new java.util.HashMap<>();
        if (uri.getRawQuery() != null) {
            for (String kv : uri.getRawQuery().split("&")) {
                String[] p = kv.split("=", 2);
                m.put(p[0], java.net.URLDecoder.decode(p[1], StandardCharsets.UTF_8));
            }
        }
        return m;
    }

    String url(HttpServer s, String pathAndQuery) {
        return "http://127.0.0.1:" + s.getAddress().getPort() + pathAndQuery;
    }

    static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    HttpResponse<String> get(OutboundPolicy policy, String url) throws IOException, InterruptedException {
        return new GuardedHttpClient(policy, Duration.ofSeconds(2)).send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer t0ken").timeout(Duration.ofSeconds(2)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aSameOriginRedirectIsFollowedWithItsHeaders() throws Exception {
        HttpResponse<String> res = get(LOOPBACK_ALLOWED, url(home, "/redirect?to=" + enc("/final")));
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.body()).isEqualTo("final");
        assertThat(homeSaw).containsExactly("GET /redirect auth=Bearer t0ken", "GET /final auth=Bearer t0ken");
    }

    @Test
    void aRedirectToAnotherOriginIsRefusedAndNothingReachesIt() {
        String elsewhere = url(other, "/steal");
        assertThatThrownBy(() -> get(LOOPBACK_ALLOWED, url(home, "/redirect?status=307&to=" + enc(elsewhere))))
                .isInstanceOf(OutboundRefusedException.class).hasMessage("refused: redirect to another origin");
        assertThat(homeSaw).hasSize(1);
        assertThat(otherSaw).as("the other origin never sees the request, nor the token").isEmpty();
    }

    @Test
    void redirectsStopAfterAFew() {
        String loop = "/redirect?to=" + enc("/redirect?to=" + enc("/redirect?to=" + enc("/redirect?to="
                + enc("/redirect?to=/final"))));
        assertThatThrownBy(() -> get(LOOPBACK_ALLOWED, url(home, loop))).isInstanceOf(OutboundRefusedException.class)
                .hasMessage("refused: more than " + GuardedHttpClient.MAX_REDIRECTS + " redirects");
        assertThat(homeSaw).hasSize(GuardedHttpClient.MAX_REDIRECTS + 1);
    }

    @Test
    void aPostIsRedirectedOnlyBy307Or308() throws Exception {
        GuardedHttpClient client = new GuardedHttpClient(LOOPBACK_ALLOWED, Duration.ofSeconds(2));
        HttpResponse<Void> seeOther = client.send(HttpRequest.newBuilder(URI.create(url(home, "/redirect?status=303&to=/final")))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(seeOther.statusCode()).isEqualTo(303);
        HttpResponse<Void> temporary = client.send(HttpRequest.newBuilder(URI.create(url(home, "/redirect?status=307&to=/final")))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(temporary.statusCode()).isEqualTo(200);
        assertThat(homeSaw).containsExactly("POST /redirect auth=null", "POST /redirect auth=null", "POST /final auth=null");
    }

    @Test
    void aDestinationThePolicyRefusesReceivesNothing() {
        OutboundPolicy nothingAllowed = new OutboundPolicy(AllowList.none(), false, InetAddress::getAllByName);
        assertThatThrownBy(() -> get(nothingAllowed, url(home, "/final"))).isInstanceOf(OutboundRefusedException.class)
                .hasMessage("refused: destination not allowed (loopback address)");
        assertThat(homeSaw).isEmpty();
    }
}
