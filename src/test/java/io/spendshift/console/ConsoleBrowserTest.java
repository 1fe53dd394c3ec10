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
        try {
            waiting(d).until(ExpectedConditions.visibilityOfElementLocated(By.id("portfolios")));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("no portfolio list after logging in; the page: " + d.findElement(By.tagName("main")).getText()
                    + "; the browser's log: " + browserLog(d), e);
        }
        assertThat(d.findElement(By.id("who-name")).getText()).startsWith(user);
    }

    /** The browser's console log (script errors, blocked loads), for a failure's message. */
    static List<String> browserLog(WebDriver d) {
        return d.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll().stream()
                .map(org.openqa.selenium.logging.LogEntry::getMessage).toList();
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

    // ------------------------------------------------------------------------------------------ the workspace

    /** Types into a field after clearing it. */
    static void fill(WebDriver d, String id, String value) {
        WebElement e = d.findElement(By.id(id));
        e.clear();
        e.sendKeys(value);
    }

    /** Sets a date (or any) input the way a picker does, whatever the browser's date format. */
    static void setValue(WebDriver d, String id, String value) {
        ((JavascriptExecutor) d).executeScript("arguments[0].value = arguments[1];"
                + " arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
                + " arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", d.findElement(By.id(id)), value);
    }

    static void choose(WebDriver d, String id, String value) {
        new org.openqa.selenium.support.ui.Select(d.findElement(By.id(id))).selectByValue(value);
    }

    /** The error shown next to the field the problem named. */
    static String fieldError(WebDriver d, String field) {
        return waiting(d).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector(".field-error[data-for='" + field + "']"))).getText();
    }

    static void fitsTheWidth(WebDriver d, int width, String what) {
        d.manage().window().setSize(new org.openqa.selenium.Dimension(width, 844));
        Number inner = (Number) ((JavascriptExecutor) d).executeScript("return window.innerWidth");
        Number scroll = (Number) ((JavascriptExecutor) d).executeScript("return document.documentElement.scrollWidth");
        assertThat(scroll.intValue()).as("%s at %s px", what, inner).isLessThanOrEqualTo(inner.intValue());
    }

    @Test
    @SuppressWarnings("unchecked")
    void adminCreatesAPortfolioAddsAChannelEditsItsSettingsAndUploadsMetrics() throws IOException {
        String key = io.spendshift.Api.uniqueKey("ws");
        WebDriver d = browser();
        try {
            // the login screen offers no "Log out"
            d.get(base());
            waiting(d).until(ExpectedConditions.visibilityOfElementLocated(By.id("login-user")));
            assertThat(d.findElement(By.id("logout")).isDisplayed()).isFalse();
            assertThat(d.findElement(By.id("nav")).isDisplayed()).isFalse();
            screen(d, "16-login");
            login(d, "admin");
            assertThat(d.findElement(By.id("logout")).isDisplayed()).isTrue();

            // a new portfolio: a bad currency is shown next to its field and nothing is created
            d.findElement(By.id("new-portfolio")).click();
            waiting(d).until(ExpectedConditions.visibilityOfElementLocated(By.id("portfolio-form")));
            fill(d, "f-key", key);
            fill(d, "f-name", "Acme <b>US</b>");
            fill(d, "f-currency", "EURO");
            fill(d, "f-timeZone", "America/New_York");
            d.findElement(By.id("portfolio-save")).click();
            assertThat(fieldError(d, "currency")).contains("ISO 4217");
            assertThat(d.findElement(By.id("f-currency")).getAttribute("aria-invalid")).isEqualTo("true");
            Api.as("viewer").get("/api/v1/portfolios/" + key).then().statusCode(404);
            shot(d, "17-portfolio-form-error");
            fill(d, "f-currency", "USD");
            d.findElement(By.id("portfolio-save")).click();
            waiting(d).until(ExpectedConditions.visibilityOfElementLocated(By.id("facts")));
            assertThat(heading(d)).contains("Acme <b>US</b>");
            assertThat(d.findElements(By.cssSelector("h1 b"))).as("names are text, never markup").isEmpty();
            assertThat(text(d, "banner")).contains("created");
            assertThat(text(d, "time-zone")).contains("America/New_York");

            // a channel: a bad account id is shown next to its field, then saved with its target
            d.findElement(By.id("add-channel")).click();
            waiting(d).until(ExpectedConditions.visibilityOfElementLocated(By.id("channel-form")));
            fill(d, "f-key", "search");
            fill(d, "f-name", "Search brand");
            fill(d, "f-platform", "google");
            choose(d, "f-kind", "search");
            fill(d, "f-dailyBudget", "500");
            fill(d, "f-minDailyBudget", "100");
            fill(d, "f-maxDailyBudget", "2000");
            fill(d, "f-tags", "brand, prospecting");
            fill(d, "f-aliases", "Brand - Exact");
            choose(d, "f-target-connector", "google-ads");
            fill(d, "f-target-account", "123-456-7890");
            fill(d, "f-target-campaigns", "111, 222");
            d.findElement(By.id("channel-save")).click();
            assertThat(fieldError(d, "target.account")).contains("digits only");
            fill(d, "f-target-account", "1234567890");
            d.findElement(By.id("channel-save")).click();
            waiting(d).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#channels tr[data-channel='search']")));
            Map<String, Object> ch = Api.as("viewer").get("/api/v1/portfolios/" + key + "/channels").then().extract()
                    .path("items.find { it.key == 'search' }");
            assertThat(ch).containsEntry("name", "Search brand").containsEntry("platform", "google")
                    .containsEntry("tags", List.of("brand", "prospecting")).containsEntry("aliases", List.of("Brand - Exact"));
            assertThat(map(ch.get("target"))).containsEntry("connector", "google-ads").containsEntry("account", "1234567890")
                    .containsEntry("campaigns", List.of("111", "222"));
            assertThat(d.findElement(By.cssSelector("#channels tr[data-channel='search']")).getText())
                    .contains("Search brand").contains("$500.00").contains("$100.00 to $2,000.00");

            // settings: mode, schedule, policy with exploration and a freeze, webhook (its secret write-only), notify, plan
            d.findElement(By.id("settings")).click();
            waiting(d).until(ExpectedConditions.visibilityOfElementLocated(By.id("portfolio-form")));
            choose(d, "f-mode", "AUTO_APPLY");
            fill(d, "f-schedule", "0 0 6 * * ?");
            fill(d, "f-policy-maxShiftPct", "15");
            fill(d, "f-policy-exploration-maxPct", "5");
            d.findElement(By.id("add-freeze")).click();
            setValue(d, "f-freeze-from-0", "2026-12-24");
            setValue(d, "f-freeze-to-0", "2026-12-20");
            fill(d, "f-freeze-reason-0", "holidays");
            fill(d, "f-webhook-url", "https://hooks.example/budgets");
            fill(d, "f-webhook-secret", "whsec-0123456789abcdef");
            d.findElement(By.id("add-notify")).click();
            choose(d, "f-notify-type-0", "EMAIL");
            fill(d, "f-notify-target-0", "ops@example.com");
            fill(d, "f-plan-monthlyBudget", "30000");
            d.findElement(By.id("add-flight")).click();
            setValue(d, "f-flight-from-0", "2026-12-01");
            setValue(d, "f-flight-to-0", "2026-12-31");
            fill(d, "f-flight-budget-0", "40000");
            d.findElement(By.id("portfolio-save")).click();
            // the freeze ends before it starts: named on its row's field, nothing stored
            assertThat(fieldError(d, "policy.freeze[0].to")).contains("before");
            Api.as("viewer").get("/api/v1/portfolios/" + key).then().body("mode", equalTo("RECOMMEND"));
            setValue(d, "f-freeze-to-0", "2026-12-26");
            d.findElement(By.id("portfolio-save")).click();
            waiting(d).until(ExpectedConditions.visibilityOfElementLocated(By.id("facts")));
            Map<String, Object> p = Api.as("viewer").get("/api/v1/portfolios/" + key).then().extract().as(Map.class);
            assertThat(p).containsEntry("mode", "AUTO_APPLY").containsEntry("schedule", "0 0 6 * * ?")
                    .containsEntry("currency", "USD").containsEntry("timeZone", "America/New_York");
            Map<String, Object> policy = map(p.get("policy"));
            assertThat(((Number) policy.get("maxShiftPct")).doubleValue()).isEqualTo(15.0);
            assertThat(((Number) map(policy.get("exploration")).get("maxPct")).doubleValue()).isEqualTo(5.0);
            assertThat((List<Map<String, Object>>) policy.get("freeze")).singleElement()
                    .satisfies(f -> assertThat(f).containsEntry("from", "2026-12-24").containsEntry("to", "2026-12-26")
                            .containsEntry("reason", "holidays"));
            assertThat(map(p.get("webhook"))).containsEntry("url", "https://hooks.example/budgets").containsEntry("secretSet", true);
            assertThat((List<Map<String, Object>>) p.get("notify")).singleElement().satisfies(n -> assertThat(n)
                    .containsEntry("type", "EMAIL").containsEntry("target", "ops@example.com")
                    .containsEntry("events", List.of("RECOMMENDATION_PROPOSED")));
            assertThat(((Number) map(p.get("plan")).get("monthlyBudget")).doubleValue()).isEqualTo(30000.0);
            assertThat(text(d, "plan-summary")).contains("$30,000.00 a month").contains("2026-12-01 to 2026-12-31: $40,000.00");
            // the secret is write-only: the form never shows it, and saving without it keeps it
            d.findElement(By.id("settings")).click();
            waiting(d).until(ExpectedConditions.visibilityOfElementLocated(By.id("portfolio-form")));
            assertThat(d.findElement(By.id("f-webhook-secret")).getAttribute("value")).isEmpty();
            assertThat(d.getPageSource()).doesNotContain("whsec-0123456789abcdef");
            fitsTheWidth(d, 390, "the settings form");
            File phone = ((TakesScreenshot) d).getScreenshotAs(OutputType.FILE);
            Files.copy(phone.toPath(), SHOTS.resolve("19-settings-phone.png"), StandardCopyOption.REPLACE_EXISTING);
            d.manage().window().setSize(new org.openqa.selenium.Dimension(1366, 900));
            shot(d, "18-portfolio-settings");
            fill(d, "f-name", "Acme US");
            d.findElement(By.id("portfolio-save")).click();
            waiting(d).until(ExpectedConditions.visibilityOfElementLocated(By.id("facts")));
            Api.as("viewer").get("/api/v1/portfolios/" + key).then().body("name", equalTo("Acme US"))
                    .body("webhook.secretSet", equalTo(true)).body("notify[0].target", equalTo("ops@example.com"));

            // upload: a bad row is shown with its line before anything is stored; then a good file is imported
            d.findElement(By.id("upload")).click();
            waiting(d).until(ExpectedConditions.visibilityOfElementLocated(By.id("upload-form")));
            String day1 = LocalDate.now().minusDays(2).toString();
            String day2 = LocalDate.now().minusDays(1).toString();
            String header = "channel,date,spend,impressions,clicks,conversions,revenue,newCustomers,ltv\n";
            fill(d, "upload-text", header + "search," + day1 + ",480.50,10000,400,12,1500,10,90\n"
                    + "nowhere," + day2 + ",10,100,5,1,20,1,50\n");
            d.findElement(By.id("upload-preview")).click();
            waiting(d).until(ExpectedConditions.visibilityOfElementLocated(By.id("upload-errors")));
            assertThat(text(d, "upload-errors")).contains("3").contains("channel").contains("nowhere");
            assertThat(d.findElement(By.id("upload-import")).isEnabled()).isFalse();
            Api.as("viewer").get("/api/v1/portfolios/" + key + "/metrics").then().body("total", equalTo(0));
            fill(d, "upload-text", header + "search," + day1 + ",480.50,10000,400,12,1500,10,90\n"
                    + "search," + day2 + ",510.00,11000,420,14,1700,11,95\n");
            d.findElement(By.id("upload-preview")).click();
            waiting(d).until(ExpectedConditions.visibilityOfElementLocated(By.id("upload-ok")));
            assertThat(text(d, "upload-detected")).contains("spendshift");
            assertThat(text(d, "upload-mapping")).contains("spend").contains("newCustomers");
            assertThat(d.findElements(By.cssSelector("#upload-rows-table tbody tr"))).hasSize(2);
            assertThat(text(d, "upload-rows-table")).contains("$480.50").contains(day2);
            Api.as("viewer").get("/api/v1/portfolios/" + key + "/metrics").then().body("total", equalTo(0));
            shot(d, "20-upload-preview");
            d.findElement(By.id("upload-import")).click();
            waiting(d).until(ExpectedConditions.visibilityOfElementLocated(By.id("import-result")));
            assertThat(text(d, "import-result")).contains("2 rows received, 2 new, 0 updated");
            Api.as("viewer").get("/api/v1/portfolios/" + key + "/metrics").then().body("total", equalTo(2))
                    .body("items.find { it.date == '" + day2 + "' }.spend", io.spendshift.Api.money("510.00"));

            // customer value: previewed through the service's dry run (a bad row named, nothing stored), then posted;
            // the banner turns green only on the 200, and the portfolio page names the source in force
            open(d, "#/portfolios/" + key + "/upload", By.id("upload-form"));
            choose(d, "upload-format", "outcomes");
            String outcomesHeader = "channel,date,newCustomers,ltv\n";
            fill(d, "upload-text", outcomesHeader + "search," + day1 + ",12,150\n" + "nowhere," + day2 + ",3,90\n");
            d.findElement(By.id("upload-preview")).click();
            waiting(d).until(ExpectedConditions.visibilityOfElementLocated(By.id("upload-errors")));
            assertThat(text(d, "upload-errors")).as("line 3 of the file: the header is line 1").contains("3")
                    .contains("channel").contains("nowhere");
            assertThat(text(d, "upload-rows")).contains("2").contains("1 invalid");
            assertThat(d.findElement(By.id("upload-import")).isEnabled()).isFalse();
            assertThat(d.findElement(By.id("banner")).isDisplayed()).isFalse();
            Api.as("viewer").get("/api/v1/portfolios/" + key + "/outcomes").then().body("total", equalTo(0));
            fill(d, "upload-text", outcomesHeader + "search," + day1 + ",12,150\n" + "search," + day2 + ",10,160\n");
            d.findElement(By.id("upload-preview")).click();
            waiting(d).until(ExpectedConditions.visibilityOfElementLocated(By.id("upload-ok")));
            assertThat(text(d, "upload-detected")).contains("customer value");
            assertThat(d.findElements(By.cssSelector("#upload-rows-table tbody tr"))).hasSize(2);
            assertThat(text(d, "upload-rows-table")).contains("$150.00").contains("$1,800.00").contains(day2);
            Api.as("viewer").get("/api/v1/portfolios/" + key + "/outcomes").then().body("total", equalTo(0));
            shot(d, "20b-upload-outcomes-preview");
            d.findElement(By.id("upload-import")).click();
            waiting(d).until(ExpectedConditions.visibilityOfElementLocated(By.id("import-result")));
            assertThat(text(d, "import-result")).contains("2 rows received, 2 new, 0 replaced");
            assertThat(text(d, "banner")).contains("Customer value imported");
            assertThat(d.findElement(By.id("banner")).getAttribute("class")).isEqualTo("info");
            Api.as("viewer").get("/api/v1/portfolios/" + key + "/outcomes").then().body("total", equalTo(2));
            open(d, "#/portfolios/" + key, By.id("facts"));
            WebElement source = d.findElement(By.cssSelector("#facts tr[data-channel='search'] .value-source"));
            assertThat(source.getAttribute("data-source")).isEqualTo("OUTCOMES");
            assertThat(source.getText()).contains("customer feed").contains("latest row " + day2);
            shot(d, "20c-value-source");

            // the audit: times in the portfolio's zone, actions in words, details as key/values on demand
            open(d, "#/audit?portfolio=" + key, By.id("audit"));
            // every action the service audits can be filtered on
            assertThat(d.findElements(By.cssSelector("select[name=action] option")).stream()
                    .map(o -> o.getAttribute("value")).toList()).contains("MAPPING_SAVED", "MAPPING_DELETED",
                    "DRIFT_DETECTED", "BUDGET_CHANGED", "RECOMMENDATION_EDITED");
            WebElement updated = d.findElements(By.cssSelector("#audit tbody tr")).stream()
                    .filter(tr -> tr.getText().contains("Portfolio updated")).findFirst().orElseThrow();
            assertThat(updated.getText()).containsPattern("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d E[SD]T").contains("admin");
            assertThat(updated.findElement(By.cssSelector(".audit-summary")).getText()).contains("changed name");
            WebElement details = updated.findElement(By.cssSelector("details.audit-details"));
            assertThat(details.findElement(By.cssSelector("dl")).isDisplayed()).isFalse();
            details.findElement(By.tagName("summary")).click();
            assertThat(details.findElement(By.cssSelector("dl")).isDisplayed()).isTrue();
            assertThat(details.getText()).doesNotContain("{\"").doesNotContain("whsec-0123456789abcdef");
            Number tableWidth = (Number) ((JavascriptExecutor) d).executeScript(
                    "return document.getElementById('audit').scrollWidth");
            Number wrapWidth = (Number) ((JavascriptExecutor) d).executeScript(
                    "return document.getElementById('audit').parentElement.clientWidth");
            assertThat(tableWidth.intValue()).as("the audit table wraps instead of running off").isLessThanOrEqualTo(wrapWidth.intValue());
            shot(d, "21-audit-details");
            assertNothingBlockedByThePolicy(d);

            // logging out shows the login screen, without "Log out"
            d.findElement(By.id("logout")).click();
            waiting(d).until(ExpectedConditions.visibilityOfElementLocated(By.id("login-user")));
            assertThat(d.findElement(By.id("logout")).isDisplayed()).isFalse();
        } finally {
            d.quit();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void approverEditsAProposalThenApprovesItAndChangesTheChartsPeriod() throws IOException {
        String key = CyclesAccess.portfolio();
        int id = CyclesAccess.recommendation(key);
        Map<String, Object> rec = Api.as("viewer").get("/api/v1/recommendations/" + id).then().extract().as(Map.class);
        Map<String, BigDecimal> proposed = new java.util.HashMap<>();
        for (Map<String, Object> a : (List<Map<String, Object>>) rec.get("allocations")) {
            proposed.put((String) a.get("channel"), new BigDecimal(a.get("proposedBudget").toString()));
        }
        BigDecimal good = proposed.get("good").subtract(new BigDecimal("50.25"));
        BigDecimal poor = proposed.get("poor").add(new BigDecimal("50.25"));
        WebDriver d = browser();
        try {
            login(d, "approver");
            open(d, "#/recommendations/" + id, By.id("edit"));
            assertThat(d.findElement(By.id("edit-form")).isDisplayed()).isFalse();
            d.findElement(By.id("edit")).click();
            assertThat(d.switchTo().activeElement().getAttribute("id")).as("focus moves into the form").startsWith("edit-");
            fill(d, "edit-good", good.toPlainString());
            assertThat(text(d, "edit-total")).contains("€50.25 under the €2,000.00 to keep");
            assertThat(d.findElement(By.id("edit-save")).isEnabled()).isFalse();
            fill(d, "edit-poor", poor.toPlainString());
            assertThat(text(d, "edit-total")).contains("balanced");
            fill(d, "edit-comment", "slower this week");
            screen(d, "22-recommendation-edit-screen");
            shot(d, "22-recommendation-edit");
            d.findElement(By.id("edit-save")).click();
            waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.id("banner"), "edit is saved"));
            assertThat(heading(d)).contains("PROPOSED");
            assertThat(d.findElement(By.cssSelector("#allocations tr[data-channel='good']")).getText())
                    .contains("€" + String.format(java.util.Locale.ROOT, "%,.2f", good));
            assertThat(text(d, "shifts")).contains("Edited by approver");
            Api.as("viewer").get("/api/v1/recommendations/" + id).then()
                    .body("allocations.find { it.channel == 'good' }.proposedBudget", io.spendshift.Api.money(good.toPlainString()))
                    .body("shifts[0].rule", equalTo("Edited by approver"));

            // out of bounds: the API's error is shown next to the channel's input, nothing changes
            d.findElement(By.id("edit")).click();
            fill(d, "edit-good", "1950");
            fill(d, "edit-poor", "50");
            d.findElement(By.id("edit-save")).click();
            assertThat(fieldError(d, "allocations[1].proposedBudget")).contains("channel poor").contains("below its minimum");
            assertThat(d.findElement(By.id("edit-poor")).getAttribute("aria-invalid")).isEqualTo("true");
            Api.as("viewer").get("/api/v1/recommendations/" + id).then()
                    .body("allocations.find { it.channel == 'poor' }.proposedBudget", io.spendshift.Api.money(poor.toPlainString()));
            d.findElement(By.id("edit-cancel")).click();

            d.findElement(By.id("approve")).click();
            waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "APPROVED"));
            assertThat(d.findElements(By.id("edit"))).as("only a proposal is edited").isEmpty();

            // the history charts: presets and any period, against the previous period of the same length
            open(d, "#/portfolios/" + key, By.id("period-form"));
            assertThat(text(d, "period")).contains("(28 days)");
            waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".history-chart .uplot canvas"), 2));
            assertThat(d.findElement(By.cssSelector("#spend-chart .u-legend")).getText()).contains("This period").contains("Previous period");
            d.findElement(By.id("preset-90")).click();
            waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.id("period"), "(90 days)"));
            assertThat(d.findElement(By.id("preset-90")).getAttribute("aria-pressed")).isEqualTo("true");
            String to = LocalDate.now().minusDays(1).toString();
            String from = LocalDate.now().minusDays(14).toString();
            setValue(d, "period-from", from);
            setValue(d, "period-to", to);
            choose(d, "period-channel", "good");
            d.findElement(By.id("period-apply")).click();
            waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.id("period"), from + " to " + to + " (14 days)"));
            assertThat(text(d, "period")).contains("good").contains("compared with " + LocalDate.now().minusDays(28) + " to "
                    + LocalDate.now().minusDays(15));
            waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".history-chart .uplot canvas"), 2));
            // the period's table: the channel and the total, spend in euros, with the change against the period before
            List<Map<String, Object>> rows = Api.as("viewer").get("/api/v1/portfolios/" + key + "/metrics?channel=good&from="
                    + from + "&to=" + to + "&size=500").then().extract().path("items");
            BigDecimal spend = rows.stream().map(r -> new BigDecimal(r.get("spend").toString())).reduce(BigDecimal.ZERO, BigDecimal::add);
            assertThat(d.findElement(By.cssSelector("#period-table tr[data-channel='good']")).getText())
                    .contains("€" + String.format(java.util.Locale.ROOT, "%,.2f", spend));
            assertThat(d.findElements(By.cssSelector("#period-table tbody tr"))).hasSize(2);
            // the axis in the portfolio's currency
            assertThat(d.findElement(By.cssSelector("#spend-chart")).getAttribute("aria-label")).contains("Spend per day, good");
            shot(d, "23-history-period");
            fitsTheWidth(d, 390, "the portfolio page");
            File phone = ((TakesScreenshot) d).getScreenshotAs(OutputType.FILE);
            Files.copy(phone.toPath(), SHOTS.resolve("24-portfolio-phone.png"), StandardCopyOption.REPLACE_EXISTING);
            d.manage().window().setSize(new org.openqa.selenium.Dimension(1366, 900));
            assertNothingBlockedByThePolicy(d);
        } finally {
            d.quit();
        }
        Api.as("viewer").get("/api/v1/recommendations/" + id).then().body("status", equalTo("APPROVED"));
    }
}
