package io.spendshift.console;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.spendshift.Api;
import io.spendshift.learning.Forecast;
import io.spendshift.run.Cycles;
import io.spendshift.run.CyclesAccess;
import io.spendshift.run.TestDecider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * The web console in headless Chromium (Debian's chromium and chromedriver; {@code .ci/run} installs them and
 * makes them mandatory, elsewhere the tests are skipped without them):
 * an approver approves and applies a recommendation and the budgets change; a viewer sees no decision buttons
 * and the API refuses the action anyway; a stale page gets a clear conflict message; a strategist sees a broken
 * rule's line reported and runs a simulation; a recommendation shows its forecast in the portfolio's currency, its
 * experiments, and once applied its verification, and an approver reverts it. Screenshots of every page go to {@code target/console-screenshots}.
 */
@QuarkusTest
class ConsoleBrowserTest {

    static final Path SHOTS = Path.of("target", "console-screenshots");
    static final String CHROMIUM = System.getProperty("spendshift.browser.chromium", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("spendshift.browser.chromedriver", "/usr/bin/chromedriver");
    /** CI sets it ({@code .ci/run}): there a missing browser fails the build instead of skipping these tests. */
    static final boolean REQUIRED = Boolean.getBoolean("spendshift.browser.required");
    static final List<String> MISSING = java.util.stream.Stream.of(CHROMIUM, CHROMEDRIVER)
            .filter(f -> !Files.isExecutable(Path.of(f))).toList();
    static final String WHY = "Browser tests need Chromium and ChromeDriver, missing: " + String.join(", ", MISSING)
            + " (apt-get install chromium chromium-driver, or point -Dspendshift.browser.chromium and"
            + " -Dspendshift.browser.chromedriver at them)";

    /**
     * Without Chromium and ChromeDriver (a fresh machine with only Java and Maven) every test is skipped with the
     * reason and the install command, so that the README's {@code mvn verify} passes there; with
     * {@code spendshift.browser.required=true} a missing browser is a failure.
     */
    @BeforeAll
    static void chromium() throws IOException {
        if (REQUIRED) {
            assertThat(MISSING).as(WHY + "; required by -Dspendshift.browser.required=true").isEmpty();
        } else if (!MISSING.isEmpty()) {
            // once on the console; each test also reports it as its skip reason
            org.jboss.logging.Logger.getLogger(ConsoleBrowserTest.class).warn(WHY + "; ConsoleBrowserTest is skipped");
        }
        Files.createDirectories(SHOTS);
    }

    /** Skipped, one by one so that Surefire counts and reports them, with the reason. */
    @BeforeEach
    void browserInstalled() {
        Assumptions.assumeTrue(MISSING.isEmpty(),
                WHY + "; skipped (-Dspendshift.browser.required=true makes it a failure)");
    }

    WebDriver browser() throws IOException {
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM);
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1366,900", "--user-data-dir=" + Files.createTempDirectory("spendshift-chromium"));
        // the browser's console log, where Chromium reports anything the Content-Security-Policy blocked
        o.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        // one driver process per browser: quitting the browser stops its driver
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort().build();
        return new ChromeDriver(service, o);
    }

    static String base() {
        return "http://localhost:" + RestAssured.port + "/";
    }

    static WebDriverWait waiting(WebDriver d) {
        return new WebDriverWait(d, Duration.ofSeconds(15));
    }

    static void login(WebDriver d, String user) {
        d.get(base());
        waiting(d).until(ExpectedConditions.visibilityOfElementLocated(By.id("login-user"))).sendKeys(user);
        // by keyboard: Enter in the password field submits the form
        d.findElement(By.id("login-password")).sendKeys(user + org.openqa.selenium.Keys.ENTER);
        waiting(d).until(ExpectedConditions.visibilityOfElementLocated(By.id("portfolios")));
        assertThat(d.findElement(By.id("who-name")).getText()).startsWith(user);
    }

    static void open(WebDriver d, String hash, By ready) {
        d.get(base() + hash);
        waiting(d).until(ExpectedConditions.visibilityOfElementLocated(ready));
    }

    /** What a laptop screen shows (1366 × 900), e.g. for the README. */
    static void screen(WebDriver d, String name) throws IOException {
        File f = ((TakesScreenshot) d).getScreenshotAs(OutputType.FILE);
        Files.copy(f.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    static void shot(WebDriver d, String name) throws IOException {
        // the whole page, not only the window
        Long height = (Long) ((JavascriptExecutor) d).executeScript("return document.documentElement.scrollHeight");
        d.manage().window().setSize(new org.openqa.selenium.Dimension(1366, (int) Math.min(Math.max(height, 900), 4000)));
        File f = ((TakesScreenshot) d).getScreenshotAs(OutputType.FILE);
        Files.copy(f.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        d.manage().window().setSize(new org.openqa.selenium.Dimension(1366, 900));
    }

    /**
     * The console runs under a policy without inline scripts or styles; anything it still tried would be blocked
     * (a chart without colours, a dead button) and reported in the browser's log.
     */
    static void assertNothingBlockedByThePolicy(WebDriver d) {
        List<String> blocked = d.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll().stream()
                .map(org.openqa.selenium.logging.LogEntry::getMessage)
                .filter(m -> m.contains("Content Security Policy") || m.contains("Content-Security-Policy")).toList();
        assertThat(blocked).as("blocked by the Content-Security-Policy").isEmpty();
    }

    static String heading(WebDriver d) {
        return d.findElement(By.tagName("h1")).getText();
    }

    static Map<String, BigDecimal> budgets(String key) {
        List<Map<String, Object>> items = Api.as("viewer").get("/api/v1/portfolios/" + key + "/channels").then()
                .statusCode(200).extract().path("items");
        return items.stream().collect(java.util.stream.Collectors.toMap(i -> (String) i.get("key"),
                i -> new BigDecimal(i.get("dailyBudget").toString()).setScale(2, java.math.RoundingMode.UNNECESSARY)));
    }

    @Test
    void approverApprovesAndAppliesAndTheBudgetsChange() throws IOException {
        String key = CyclesAccess.portfolio();
        int id = CyclesAccess.recommendation(key);
        List<Map<String, Object>> allocations = Api.as("viewer").get("/api/v1/recommendations/" + id).then()
                .extract().path("allocations");
        assertThat(budgets(key)).containsEntry("good", new BigDecimal("1000.00")).containsEntry("poor", new BigDecimal("1000.00"));

        WebDriver d = browser();
        try {
            login(d, "approver");
            assertThat(d.findElement(By.cssSelector("#portfolios tr[data-portfolio='" + key + "']")).getText())
                    .contains("2,000.00").contains("RECOMMEND").contains("SUCCEEDED");
            shot(d, "1-portfolios");

            open(d, "#/recommendations/" + id, By.id("approve"));
            assertThat(heading(d)).contains("PROPOSED");
            assertThat(d.findElements(By.cssSelector("#allocation-chart svg.chart rect"))).hasSize(2 * allocations.size());
            assertThat(d.findElement(By.id("shifts")).getText()).contains("poor").contains("good");
            assertThat(d.findElement(By.id("explanation")).getText()).isNotBlank();
            screen(d, "2-recommendation-screen");
            shot(d, "2-recommendation");

            d.findElement(By.id("comment")).sendKeys("poor converts at a tenth of good");
            d.findElement(By.id("approve")).click();
            waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "APPROVED"));
            d.findElement(By.id("apply")).click();
            waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "APPLIED"));
            assertThat(d.findElements(By.id("approve"))).isEmpty();
            shot(d, "3-recommendation-applied");
            assertNothingBlockedByThePolicy(d);
        } finally {
            d.quit();
        }
        Map<String, BigDecimal> after = budgets(key);
        for (Map<String, Object> a : allocations) {
            assertThat(after.get((String) a.get("channel"))).as("budget of " + a.get("channel"))
                    .isEqualByComparingTo(new BigDecimal(a.get("proposedBudget").toString()));
        }
        assertThat(after.get("good")).isGreaterThan(new BigDecimal("1000.00"));
        Api.as("viewer").get("/api/v1/recommendations/" + id).then().body("status", equalTo("APPLIED"))
                .body("decidedBy", equalTo("approver"));
    }

    @Test
    void viewerSeesNoDecisionButtonsAndTheApiRefusesAnyway() throws IOException {
        String key = CyclesAccess.portfolio();
        int id = CyclesAccess.recommendation(key);
        WebDriver d = browser();
        try {
            login(d, "viewer");
            open(d, "#/recommendations/" + id, By.id("allocations"));
            assertThat(heading(d)).contains("PROPOSED");
            assertThat(d.findElements(By.id("approve"))).isEmpty();
            assertThat(d.findElements(By.id("reject"))).isEmpty();
            assertThat(d.findElements(By.id("apply"))).isEmpty();
            assertThat(d.findElements(By.id("comment"))).isEmpty();

            // the API refuses what the page does not offer, called from the viewer's own session
            Object status = ((JavascriptExecutor) d).executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    fetch('/api/v1/recommendations/%d/approve', {method: 'POST', credentials: 'omit',
                      headers: {'Authorization': sessionStorage.getItem('spendshift.auth'), 'Content-Type': 'application/json'},
                      body: '{}'}).then(r => done(r.status));""".formatted(id));
            assertThat(((Number) status).intValue()).isEqualTo(403);

            open(d, "#/portfolios/" + key, By.id("facts"));
            assertThat(d.findElements(By.id("run"))).as("a viewer cannot run cycles").isEmpty();
            // ROAS against LTV:CAC (SVG), spend and value per day over the period (uPlot)
            assertThat(d.findElements(By.cssSelector("svg.chart"))).hasSize(1);
            waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".history-chart .uplot canvas"), 2));
            // the row shows the facts as the API computes them (it used to check only the channel's own name)
            Map<String, Object> good = Api.as("viewer").get("/api/v1/portfolios/" + key + "/performance").then()
                    .extract().path("channels.find { it.channel == 'good' }");
            assertThat(d.findElement(By.cssSelector("#facts tr[data-channel='good']")).getText())
                    .contains(String.format(java.util.Locale.ROOT, "%.2f", ((Number) good.get("roas")).doubleValue()))
                    .contains(String.format(java.util.Locale.ROOT, "%.2f", ((Number) good.get("ltvToCac")).doubleValue()));
            shot(d, "4-performance");

            open(d, "#/audit?portfolio=" + key, By.id("chain"));
            assertThat(d.findElement(By.id("chain")).getText()).startsWith("Hash chain verified");
            assertThat(d.findElement(By.id("audit")).getText()).contains("Run finished").contains("Recommendation created");
            shot(d, "5-audit");
            assertNothingBlockedByThePolicy(d);
        } finally {
            d.quit();
        }
        Api.as("viewer").get("/api/v1/recommendations/" + id).then().body("status", equalTo("PROPOSED"));
    }

    @Test
    void aStalePageGetsAClearConflictMessage() throws IOException {
        String key = CyclesAccess.portfolio();
        int id = CyclesAccess.recommendation(key);
        WebDriver d = browser();
        try {
            login(d, "approver");
            open(d, "#/recommendations/" + id, By.id("approve"));
            // someone else rejects it while the page is open
            Api.as("approver").body(Map.of("comment", "not now")).post("/api/v1/recommendations/" + id + "/reject")
                    .then().statusCode(200);
            d.findElement(By.id("approve")).click();
            WebElement banner = waiting(d).until(ExpectedConditions.visibilityOfElementLocated(By.id("banner")));
            assertThat(banner.getText()).contains("Reload the page");
            shot(d, "6-conflict");
            assertNothingBlockedByThePolicy(d);
        } finally {
            d.quit();
        }
        Api.as("viewer").get("/api/v1/recommendations/" + id).then().body("status", equalTo("REJECTED"));
    }

    @Test
    void strategistSeesABrokenRuleOnItsLineAndRunsScenariosAndASimulation() throws IOException {
        String broken = String.join("\n",
                "package candidate;",
                "import io.spendshift.policy.ChannelFacts;",
                "",
                "rule \"broken\"",
                "when",
                "    $c : ChannelFacts( roas > )",
                "then",
                "end");
        List<Integer> apiLines = Api.as("strategist").contentType("text/plain").body(broken).post("/api/v1/rules/validate")
                .then().statusCode(422).extract().path("errors.line");
        WebDriver d = browser();
        try {
            login(d, "strategist");
            open(d, "#/rules", By.id("candidate"));
            assertThat(d.findElement(By.id("active-version")).getText()).matches("[0-9a-f]{64}");
            assertThat(d.findElement(By.id("rule-files")).getText()).contains("guardrails.drl");
            d.findElement(By.id("candidate")).sendKeys(broken);
            d.findElement(By.id("validate")).click();
            waiting(d).until(ExpectedConditions.visibilityOfElementLocated(By.id("validation-errors")));
            List<Integer> marked = d.findElements(By.cssSelector(".code li.bad")).stream()
                    .map(li -> Integer.parseInt(li.getAttribute("data-line"))).toList();
            assertThat(marked).as("lines marked in the page").isNotEmpty().containsExactlyElementsOf(
                    apiLines.stream().filter(line -> line > 0).distinct().sorted().toList());
            assertThat(marked).allMatch(line -> line >= 5 && line <= 7);
            assertThat(d.findElement(By.id("validation-errors")).getText()).contains("line " + marked.get(0));
            shot(d, "7-rules-broken-candidate");

            d.findElement(By.id("scenarios")).click();
            waiting(d).until(ExpectedConditions.visibilityOfElementLocated(By.id("scenario-table")));
            int scenarios = Api.as("strategist").post("/api/v1/rules/scenarios").then().extract().path("passed");
            assertThat(d.findElements(By.cssSelector("#scenario-table tbody tr"))).hasSizeGreaterThanOrEqualTo(scenarios);
            shot(d, "8-rules-scenarios");

            open(d, "#/simulation", By.id("simulate"));
            WebElement days = d.findElement(By.name("days"));
            days.clear();
            days.sendKeys("30");
            d.findElement(By.id("simulate")).click();
            waiting(d).until(ExpectedConditions.visibilityOfElementLocated(By.id("sim-summary")));
            assertThat(d.findElement(By.id("sim-summary")).getText()).contains("Uplift captured");
            assertThat(d.findElements(By.cssSelector("#sim-result svg.chart"))).hasSize(2);
            shot(d, "9-simulation");
            assertNothingBlockedByThePolicy(d);
        } finally {
            d.quit();
        }
    }

    /** The rule name exploration shifts carry (API.md "Learning"). */
    static final String EXPLORATION_RULE = "Explore channels whose response cannot be estimated yet";

    /**
     * The cycle fixture (poor → good) plus two channels whose spend never varied: their response cannot be
     * estimated, so the plan explores them with a balanced pair of experiments, and the forecast is a real one.
     */
    static String portfolioWithExperiments() {
        String key = Cycles.portfolio();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String ch : List.of("social", "video")) {
            Api.admin().body(Map.of("name", ch, "kind", ch, "dailyBudget", 1000, "minDailyBudget", 100,
                    "maxDailyBudget", 5000)).put("/api/v1/portfolios/" + key + "/channels/" + ch).then().statusCode(201);
            for (int d = 1; d <= 60; d++) {
                rows.add(Api.row(ch, LocalDate.now().minusDays(d).toString(), 1000, 100000, 5000, 30, 1800, 30, 100));
            }
        }
        Api.as("ingest").body(rows).post("/api/v1/portfolios/" + key + "/metrics").then().statusCode(200);
        return key;
    }

    static int run(String key) {
        return Api.as("strategist").body(Map.of()).post("/api/v1/portfolios/" + key + "/runs").then().statusCode(201)
                .extract().path("recommendationId");
    }

    /** As the console writes an amount of change in euros (Intl.NumberFormat, en, signDisplay exceptZero). */
    static String eur(Object amount) {
        double v = ((Number) amount).doubleValue();
        return (v > 0 ? "+" : v < 0 ? "-" : "") + "€" + String.format(java.util.Locale.ROOT, "%,.2f", Math.abs(v));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    static String text(WebDriver d, String id) {
        return d.findElement(By.id(id)).getText();
    }

    @Test
    @SuppressWarnings("unchecked")
    void approverSeesForecastAndExperimentsAppliesSeesTheVerificationAndReverts() throws IOException {
        String key = portfolioWithExperiments();
        int id = run(key);
        Map<String, Object> rec = Api.as("viewer").get("/api/v1/recommendations/" + id).then().statusCode(200)
                .extract().as(Map.class);
        Map<String, Object> forecast = map(rec.get("forecast"));
        List<Map<String, Object>> experiments = (List<Map<String, Object>>) rec.get("experiments");
        List<Map<String, Object>> shifts = (List<Map<String, Object>>) rec.get("shifts");
        assertThat(forecast).as("the fixture's plan has a real forecast").doesNotContainKey("unavailable");
        assertThat(experiments).as("the fixture's plan explores the channels that never varied").isNotEmpty();
        long exploring = shifts.stream().filter(s -> EXPLORATION_RULE.equals(s.get("rule"))).count();
        assertThat(exploring).isPositive();

        WebDriver d = browser();
        try {
            login(d, "approver");
            open(d, "#/recommendations/" + id, By.id("forecast"));
            assertThat(heading(d)).contains("PROPOSED");
            // the forecast in the portfolio's currency, with its interval
            Map<String, Object> perDay = map(forecast.get("valuePerDay"));
            assertThat(text(d, "forecast-per-day")).contains(eur(perDay.get("expected"))).contains("80% interval")
                    .contains(eur(perDay.get("low")) + " to " + eur(perDay.get("high")));
            Map<String, Object> horizon = map(forecast.get("valueOverHorizon"));
            assertThat(text(d, "forecast")).contains("Over 30 days");
            assertThat(text(d, "forecast-horizon")).contains(eur(horizon.get("expected")));
            assertThat(text(d, "forecast-exploration"))
                    .contains(eur(map(forecast.get("explorationCostPerDay")).get("expected")));
            assertThat(d.findElements(By.cssSelector("#forecast svg.chart.intervals circle.expected")))
                    .hasSize(1 + ((List<?>) forecast.get("channels")).size());
            for (Map<String, Object> c : (List<Map<String, Object>>) forecast.get("channels")) {
                assertThat(d.findElement(By.cssSelector("#forecast-channels tr[data-channel='" + c.get("channel") + "']"))
                        .getText()).contains(eur(map(c.get("valuePerDay")).get("expected")))
                        .contains(eur(map(c.get("valuePerDay")).get("low")));
            }
            // the experiments as a table, their shifts marked
            assertThat(d.findElements(By.cssSelector("#experiments tbody tr"))).hasSize(experiments.size());
            for (Map<String, Object> x : experiments) {
                double pct = ((Number) x.get("deltaPct")).doubleValue();
                assertThat(d.findElement(By.cssSelector("#experiments tr[data-channel='" + x.get("channel") + "']")).getText())
                        .contains((pct > 0 ? "+" : "") + new BigDecimal(x.get("deltaPct").toString()).stripTrailingZeros()
                                .toPlainString() + "%")
                        .contains((String) x.get("until"));
            }
            assertThat(d.findElements(By.cssSelector("#shifts tr.experiment"))).hasSize((int) exploring)
                    .allSatisfy(tr -> assertThat(tr.getText()).contains("experiment").contains(EXPLORATION_RULE));
            assertThat(d.findElements(By.id("verification"))).as("not applied: nothing to verify").isEmpty();
            assertThat(d.findElements(By.id("revert"))).as("only applied plans are reverted").isEmpty();
            screen(d, "10-recommendation-forecast-screen");
            shot(d, "10-recommendation-forecast");

            // a dry run shows the same plan's forecast
            open(d, "#/portfolios/" + key, By.id("dry-run"));
            d.findElement(By.id("dry-run")).click();
            waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.id("run-result"), "dry run"));
            String moved = String.format(java.util.Locale.ROOT, "%,.2f", ((Number) rec.get("moved")).doubleValue());
            assertThat(text(d, "run-result")).contains("SUCCEEDED").contains("moves €" + moved)
                    .containsPattern("forecast [+-]€[0-9,.]+ \\(80% interval");
            shot(d, "12-dry-run-forecast");

            open(d, "#/recommendations/" + id, By.id("approve"));
            d.findElement(By.id("approve")).click();
            waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "APPROVED"));
            d.findElement(By.id("apply")).click();
            waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "APPLIED"));
            // a fresh apply: the verification waits for its days of data
            WebElement verification = waiting(d).until(ExpectedConditions.visibilityOfElementLocated(By.id("verification")));
            Map<String, Object> v = Api.as("viewer").get("/api/v1/recommendations/" + id + "/verification").then()
                    .statusCode(200).extract().as(Map.class);
            assertThat(v.get("status")).isEqualTo("PENDING");
            assertThat(text(d, "verification-status")).contains("PENDING").contains("Not checked yet")
                    .contains(String.valueOf(v.get("reason")));
            Map<String, Object> forecastPerDay = map(map(v.get("forecast")).get("valuePerDay"));
            assertThat(d.findElement(By.cssSelector("#verification-table tr[data-row='forecast']")).getText())
                    .contains(eur(forecastPerDay.get("expected"))).contains(eur(forecastPerDay.get("low")));
            assertThat(d.findElement(By.cssSelector("#verification-table tr[data-row='realized']")).getText())
                    .contains("not measured yet");
            assertThat(verification.getText()).contains("not yet");
            shot(d, "11-recommendation-verification");

            // a run on the same data proposes nothing and says why
            open(d, "#/portfolios/" + key, By.id("run"));
            d.findElement(By.id("run")).click();
            waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.id("run-result"), "NO_CHANGE"));
            assertThat(text(d, "run-result")).contains("same data");

            // Revert, from the keyboard: lands on the new REVERT recommendation
            open(d, "#/recommendations/" + id, By.id("revert"));
            d.findElement(By.id("comment")).sendKeys("the experiment was badly timed");
            d.findElement(By.id("revert")).sendKeys(org.openqa.selenium.Keys.ENTER);
            waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "REVERT"));
            int revert = Integer.parseInt(d.getCurrentUrl().replaceAll(".*#/recommendations/(\\d+)$", "$1"));
            assertThat(revert).isNotEqualTo(id);
            Api.as("viewer").get("/api/v1/recommendations/" + revert).then().body("kind", equalTo("REVERT"))
                    .body("revertOf", equalTo(id)).body("status", equalTo("PROPOSED"));
            assertThat(heading(d)).contains("PROPOSED");
            assertThat(text(d, "revert-of")).contains("recommendation " + id);
            assertThat(d.findElement(By.cssSelector("#revert-of a")).getAttribute("href")).endsWith("#/recommendations/" + id);
            assertThat(text(d, "banner")).contains("revert recommendation " + id);
            assertThat(d.findElements(By.id("approve"))).as("reviewed like any other").hasSize(1);
            screen(d, "13-revert-proposed-screen");
            shot(d, "13-revert-proposed");
            Api.as("viewer").get("/api/v1/audit?entityType=recommendation&entityId=" + revert
                    + "&action=RECOMMENDATION_CREATED").then().body("items[0].details.comment",
                    equalTo("the experiment was badly timed"));

            // a second revert while this one is open: the 409 problem in the page's error area
            open(d, "#/recommendations/" + id, By.id("revert"));
            d.findElement(By.id("revert")).click();
            WebElement banner = waiting(d).until(ExpectedConditions.visibilityOfElementLocated(By.id("banner")));
            waiting(d).until(ExpectedConditions.textToBePresentInElement(banner, "Conflict"));
            assertThat(banner.getAttribute("aria-live")).isEqualTo("assertive");
            assertThat(heading(d)).contains("Recommendation " + id);
            assertThat(d.findElement(By.id("revert")).isEnabled()).isTrue();

            // at phone width the page reflows instead of scrolling sideways
            open(d, "#/recommendations/" + revert, By.id("forecast"));
            d.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
            Number inner = (Number) ((JavascriptExecutor) d).executeScript("return window.innerWidth");
            Number scroll = (Number) ((JavascriptExecutor) d).executeScript("return document.documentElement.scrollWidth");
            assertThat(scroll.intValue()).as("page width at %s px", inner).isLessThanOrEqualTo(inner.intValue());
            File phone = ((TakesScreenshot) d).getScreenshotAs(OutputType.FILE);
            Files.copy(phone.toPath(), SHOTS.resolve("14-recommendation-phone.png"), StandardCopyOption.REPLACE_EXISTING);
            d.manage().window().setSize(new org.openqa.selenium.Dimension(1366, 900));
            assertNothingBlockedByThePolicy(d);
        } finally {
            d.quit();
        }
    }

    @Test
    void viewerSeesTheVerificationButNoRevertAndWhyAnAutomaticApplyWasWithheld() throws IOException {
        String key = Cycles.portfolio();
        int applied = run(key);
        Api.as("approver").post("/api/v1/recommendations/" + applied + "/approve").then().statusCode(200);
        Api.as("approver").post("/api/v1/recommendations/" + applied + "/apply").then().statusCode(200);

        String auto = Cycles.portfolio("AUTO_APPLY", Map.of());
        TestDecider.force(auto, Forecast.unavailable("too little <b>spend</b> variation"));
        int withheld = run(auto);
        String reason = Api.as("viewer").get("/api/v1/recommendations/" + withheld).then()
                .body("status", equalTo("PROPOSED")).extract().path("autoApplyWithheld");
        assertThat(reason).isNotBlank();

        WebDriver d = browser();
        try {
            login(d, "viewer");
            open(d, "#/recommendations/" + applied, By.id("verification"));
            assertThat(heading(d)).contains("APPLIED");
            assertThat(text(d, "verification-status")).contains("PENDING");
            assertThat(d.findElements(By.id("revert"))).as("a viewer cannot revert").isEmpty();
            assertThat(d.findElements(By.id("comment"))).isEmpty();

            open(d, "#/recommendations/" + withheld, By.id("forecast-unavailable"));
            // the reason is text, never markup
            assertThat(text(d, "forecast-unavailable")).contains("too little <b>spend</b> variation");
            assertThat(d.findElements(By.cssSelector("#forecast-unavailable b"))).isEmpty();
            assertThat(text(d, "auto-apply-withheld")).contains(reason);
            assertThat(d.findElements(By.id("verification"))).as("never applied: no verification").isEmpty();
            shot(d, "15-forecast-unavailable");
            assertNothingBlockedByThePolicy(d);
        } finally {
            d.quit();
        }
    }
}
