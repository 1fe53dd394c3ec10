package io.spendshift.notify;

import com.icegreen.greenmail.util.GreenMailUtil;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.spendshift.LogCapture;
import io.spendshift.run.Cycles;
import jakarta.inject.Inject;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.spendshift.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * E-mail notifications through Quarkus Mailer to a real SMTP server in the test (GreenMail): the message a
 * subscribed address receives for a proposed recommendation, and a server that goes away (the delivery is retried,
 * its error names no credential).
 */
@QuarkusTest
@QuarkusTestResource(value = SmtpServerResource.class, restrictToAnnotatedClass = true)
class EmailOverSmtpTest {

    @Inject
    NotificationDispatcher dispatcher;

    @Test
    void aProposedRecommendationArrivesAsMailOverSmtpAndAServerThatIsDownIsRetried() throws Exception {
        String key = Cycles.portfolio("RECOMMEND", Map.of("notify", List.of(
                Map.of("type", "EMAIL", "target", "perf-team@brand.example", "events", List.of("RECOMMENDATION_PROPOSED")),
                Map.of("type", "EMAIL", "target", "ops@brand.example", "events", List.of("APPLY_FAILED")))));
        int rec = as("strategist").body(Map.of()).post("/api/v1/portfolios/" + key + "/runs").then().statusCode(201)
                .body("status", equalTo("SUCCEEDED")).extract().path("recommendationId");

        try (LogCapture logs = LogCapture.root()) {
            // other classes' rows may be due too: only this portfolio's are looked at
            assertThat(dispatcher.dispatch()).isPositive();
            assertThat(SmtpServerResource.smtp.waitForIncomingEmail(10_000, 1)).isTrue();
            MimeMessage[] all = SmtpServerResource.smtp.getReceivedMessages();
            List<MimeMessage> mine = Arrays.stream(all).filter(m -> recipients(m).contains("perf-team@brand.example"))
                    .toList();
            assertThat(mine).hasSize(1);
            MimeMessage m = mine.get(0);
            assertThat(m.getSubject()).isEqualTo("[Spendshift] Recommendation proposed: " + key);
            assertThat(m.getFrom()[0].toString()).contains(SmtpServerResource.FROM);
            String body = GreenMailUtil.getBody(m);
            assertThat(body).contains("Recommendation " + rec + " for " + key + " proposes moving 200.00 EUR")
                    .contains("http://localhost:8080/#/recommendations/" + rec)
                    .contains("lists this address under notify");
            assertThat(Arrays.stream(all).filter(x -> recipients(x).contains("ops@brand.example")))
                    .as("not subscribed to this event").isEmpty();
            as("viewer").get("/api/v1/portfolios/" + key + "/notifications").then().statusCode(200)
                    .body("items.find { it.target == 'perf-team@brand.example' }.status", equalTo("SENT"));

            // the server goes away: the next mail is retried later, and its error names no credential
            SmtpServerResource.smtp.stop();
            as("admin").post("/api/v1/portfolios/" + key + "/notifications/test").then().statusCode(202);
            dispatcher.dispatch();
            List<Map<String, Object>> items = as("viewer").get("/api/v1/portfolios/" + key + "/notifications")
                    .then().extract().path("items");
            assertThat(items).filteredOn(d -> "TEST".equals(d.get("event"))).hasSize(2).allSatisfy(d -> {
                assertThat(d.get("status")).isEqualTo("PENDING");
                assertThat(d.get("attempts")).isEqualTo(1);
                assertThat((String) d.get("lastError")).startsWith("mail not sent");
            });
            String answers = as("viewer").get("/api/v1/portfolios/" + key + "/notifications").then().extract()
                    .asString() + as("viewer").get("/api/v1/audit?portfolio=" + key + "&size=500").then().extract()
                    .asString();
            assertThat(answers).doesNotContain(SmtpServerResource.PASSWORD);
            assertThat(logs.lines()).noneMatch(l -> l.contains(SmtpServerResource.PASSWORD));

            // back again: the retry goes out
            SmtpServerResource.startServer();
            // a pooled connection to the old server may cost one more attempt: at most two rounds of retries
            int sent = dispatcher.dispatchAt(Instant.now().plus(Duration.ofHours(2)));
            if (sent < 2) {
                dispatcher.dispatchAt(Instant.now().plus(Duration.ofHours(6)));
            }
            assertThat(SmtpServerResource.smtp.waitForIncomingEmail(10_000, 2)).isTrue();
            assertThat(SmtpServerResource.smtp.getReceivedMessages()).filteredOn(x -> {
                try {
                    return x.getSubject().equals("[Spendshift] Test: " + key);
                } catch (jakarta.mail.MessagingException e) {
                    throw new IllegalStateException(e);
                }
            }).hasSize(2);
            as("viewer").get("/api/v1/portfolios/" + key + "/notifications").then()
                    .body("items.findAll { it.event == 'TEST' }.status", org.hamcrest.Matchers.everyItem(equalTo("SENT")));
        }
    }

    static List<String> recipients(MimeMessage m) {
        try {
            return Arrays.stream(m.getRecipients(Message.RecipientType.TO)).map(Object::toString).toList();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
