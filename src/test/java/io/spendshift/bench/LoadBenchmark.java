package io.spendshift.bench;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Load on the packaged service, measured from outside: the service ({@code target/quarkus-app/quarkus-run.jar},
 * a fresh H2 file under {@code target/}) pinned to core 0, the {@link LoadGenerator} in its own JVM pinned to
 * core 1 ({@code taskset}, when there is one), so the figures are the service's and not the generator's. Three
 * scenarios, each on a fresh service: the reads alone (GET /recommendations and GET /performance at 100
 * requests/s each), then with POST /metrics at 20/s and dry runs of the cycle beside them, one a second, then one
 * after another. Prints the generator's table per scenario; asserts nothing about times. Run with
 * {@code mvn package -DskipTests && mvn verify -Pbench -Dtest=LoadBenchmark} ({@code -Dload.rate=N},
 * {@code -Dload.seconds=N} change the rate and the window).
 */
@Tag("bench")
class LoadBenchmark {

    static final String RATE = System.getProperty("load.rate", "100");
    static final String SECONDS = System.getProperty("load.seconds", "20");

    @Test
    void readsAloneAndWithTheCycleBesideThem() throws Exception {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
        Assumptions.assumeTrue(Files.exists(jar), "package the service first: mvn package -DskipTests");
        List<List<String>> scenarios = List.of(List.of(),
                List.of("--cycle-pause-ms", "1000", "--metrics-rate", "20"),
                List.of("--cycle-pause-ms", "0", "--metrics-rate", "20"));
        for (List<String> extra : scenarios) {
            run(jar, extra);
        }
    }

    private static void run(Path jar, List<String> extra) throws Exception {
        boolean pin = new File("/usr/bin/taskset").canExecute() && Runtime.getRuntime().availableProcessors() >= 2;
        Path dir = Files.createDirectories(Path.of("target/loadbench/" + Instant.now().toEpochMilli()));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> service = new ArrayList<>(pin ? List.of("taskset", "-c", "0") : List.of());
        service.addAll(List.of(java(), "-jar", jar.toString()));
        ProcessBuilder sb = new ProcessBuilder(service).redirectErrorStream(true)
                .redirectOutput(dir.resolve("service.log").toFile());
        sb.environment().put("SPENDSHIFT_DB_URL", "jdbc:h2:file:" + dir.toAbsolutePath().resolve("db")
                + ";DB_CLOSE_ON_EXIT=FALSE");
        sb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        sb.environment().put("SPENDSHIFT_SOURCES_DROP_DIR", dir.resolve("drop").toString());
        Process svc = sb.start();
        try {
            awaitReady(port, svc);
            List<String> gen = new ArrayList<>(pin ? List.of("taskset", "-c", "1") : List.of());
            gen.addAll(List.of(java(), "-cp", "target/test-classes", LoadGenerator.class.getName(),
                    "http://127.0.0.1:" + port, "--rate", RATE, "--seconds", SECONDS, "--warm-up", "5"));
            gen.addAll(extra);
            Process g = new ProcessBuilder(gen).redirectErrorStream(true).start();
            String out = new String(g.getInputStream().readAllBytes());
            g.waitFor();
            System.out.println((pin ? "service on core 0, generator on core 1" : "not pinned (no taskset)") + out);
        } finally {
            svc.destroy();
            svc.waitFor();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Polls readiness, bounded: the service starts in seconds. */
    private static void awaitReady(int port, Process svc) throws IOException, InterruptedException {
        HttpClient c = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        Instant end = Instant.now().plusSeconds(120);
        while (Instant.now().isBefore(end) && svc.isAlive()) {
            try {
                if (c.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            svc.waitFor(250, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        throw new IllegalStateException("the service did not become ready; see its log under target/loadbench/");
    }
}
