package io.spendshift.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The proposed-plan notification names a pacing change of the total daily budget. */
class PacingMessageTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aProposedPacingPlanSaysHowTheTotalChanges() throws Exception {
        String paced = Messages.summary("RECOMMENDATION_PROPOSED", "brand-fr", "EUR", "42", JSON.readTree(
                "{\"moved\": 400, \"pacing\": {\"totalBefore\": 2000, \"totalAfter\": 1800}}"));
        assertThat(paced).isEqualTo("Recommendation 42 for brand-fr paces the total daily budget from 2000.00 to"
                + " 1800.00 EUR (moving 400.00 EUR in all) and waits for review.");
        String plain = Messages.summary("RECOMMENDATION_PROPOSED", "brand-fr", "EUR", "43", JSON.readTree(
                "{\"moved\": 200}"));
        assertThat(plain).isEqualTo("Recommendation 43 for brand-fr proposes moving 200.00 EUR between channels and"
                + " waits for review.");
    }
}
