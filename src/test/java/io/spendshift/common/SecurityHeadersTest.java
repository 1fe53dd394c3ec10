package io.spendshift.common;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every answer carries the security headers, whatever produced it: the API, a problem document (401, 403, 404,
 * 413), health, metrics, the console's static files, the router's own 404. The console's files hold nothing
 * the policy would block.
 */
@QuarkusTest
class SecurityHeadersTest {

    static final Path CONSOLE = Path.of("src/main/resources/META-INF/resources");

    static void assertHeaders(java.util.function.Function<String, String> header, String csp) {
        assertThat(header.apply("Content-Security-Policy")).isEqualTo(csp);
        assertThat(header.apply("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(header.apply("X-Frame-Options")).isEqualTo("DENY");
        assertThat(header.apply("Referrer-Policy")).isEqualTo("no-referrer");
    }

    @ParameterizedTest(name = "{0} {1} as {2} -> {3}")
    @CsvSource(textBlock = """
            GET,  /,                                   -,      200
            GET,  /index.html,                         -,      200
            GET,  /console/app.js,                     -,      200
            GET,  /console/views/recommendations.js,   -,      200
            GET,  /webjars/uplot/1.6.30/dist/uPlot.esm.js, -,  200
            GET,  /webjars/uplot/1.6.30/dist/uPlot.min.css, -, 200
            GET,  /console/console.css,                -,      200
            GET,  /console/no-such-file.js,            -,      404
            GET,  /no-such-page,                       -,      404
            GET,  /api/v1/portfolios,                  -,      401
            GET,  /api/v1/portfolios,                  wrong,  401
            GET,  /api/v1/portfolios,                  viewer, 200
            POST, /api/v1/portfolios,                  viewer, 403
            GET,  /api/v1/portfolios/no-such-portfolio, viewer, 404
            GET,  /api/v1/nothing-here,                viewer, 404
            GET,  /api/v1/audit?page=-1,               viewer, 400
            GET,  /q/health/live,                      -,      200
            GET,  /q/health/ready,                     -,      200
            GET,  /q/metrics,                          -,      200
            GET,  /q/openapi,                          -,      200
            """)
    void everyAnswerCarriesTheSecurityHeaders(String method, String path, String user, int status) {
        var request = given().contentType("application/json").body(method.equals("POST") ? "{}" : "");
        if (!user.equals("-")) {
            request = request.auth().preemptive().basic(user, user.equals("wrong") ? "nope" : user);
        }
        Response res = method.equals("POST") ? request.post(path) : request.get(path);
        assertThat(res.statusCode()).isEqualTo(status);
        assertHeaders(res::header, SecurityHeaders.CSP);
    }

    @Test
    void theCspForbidsInlineScriptsFramingAndForeignOrigins() {
        assertThat(SecurityHeaders.CSP).contains("default-src 'self'", "script-src 'self';", "style-src 'self';",
                "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'", "object-src 'none'")
                .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
    }

    @Test
    void swaggerUiMayRunItsInlineScriptButCannotBeFramed() {
        Response res = given().get("/q/swagger-ui/");
        assertThat(res.statusCode()).isEqualTo(200);
        assertHeaders(res::header, SecurityHeaders.SWAGGER_CSP);
        assertThat(res.header("Content-Security-Policy")).contains("frame-ancestors 'none'");
    }

    @Test
    void aBodyRefusedBeforeItIsReadCarriesTheHeadersToo() throws IOException {
        try (Socket s = new Socket("127.0.0.1", RestAssured.port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /api/v1/portfolios/x/metrics HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/csv\r\n"
                    + "Content-Length: 999999999999\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String head = readHead(s.getInputStream());
            assertThat(head).startsWith("HTTP/1.1 413");
            java.util.Map<String, String> headers = new java.util.HashMap<>();
            head.lines().skip(1).filter(l -> l.contains(":")).forEach(l -> headers.put(
                    l.substring(0, l.indexOf(':')).trim().toLowerCase(Locale.ROOT), l.substring(l.indexOf(':') + 1).trim()));
            assertHeaders(name -> headers.get(name.toLowerCase(Locale.ROOT)), SecurityHeaders.CSP);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            sb.append((char) c);
            if (sb.length() >= 4 && sb.substring(sb.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        return sb.toString();
    }

    @Test
    void theConsoleHasNoInlineScriptStyleOrHandler() throws IOException {
        String html = Files.readString(CONSOLE.resolve("index.html"));
        assertThat(Pattern.compile("<script(?![^>]*\\ssrc=)[^>]*>", Pattern.CASE_INSENSITIVE).matcher(html).find())
                .as("an inline <script>").isFalse();
        assertThat(html).doesNotContainPattern("(?i)<style").doesNotContainPattern("(?i)\\sstyle\\s*=")
                .doesNotContainPattern("(?i)\\son[a-z]+\\s*=").doesNotContainPattern("(?i)javascript:");
        // every module, the pages' under console/views included
        try (var files = Files.walk(CONSOLE.resolve("console"))) {
            for (Path js : files.filter(p -> p.toString().endsWith(".js")).toList()) {
                String code = Files.readString(js);
                assertThat(code).as(js.toString()).doesNotContainPattern("(?i)\\sstyle\\s*=")
                        .doesNotContainPattern("(?i)<[a-z][^>]*\\son[a-z]+\\s*=").doesNotContainPattern("(?i)javascript:")
                        .doesNotContain("eval(").doesNotContain("new Function(");
            }
        }
    }
}
