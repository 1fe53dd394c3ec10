package io.spendshift.common;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code If-Match} against a version is a comparison of entity tags, the exact one the service emits ({@code "7"}),
 * never a number parse: {@code "07"} names no version. Plain JUnit.
 */
class IfMatchTest {

    @ParameterizedTest(name = "{0} matches version {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "\"7\"    | 7 | true", "W/\"7\"  | 7 | true", "7 | 7 | true", " \"7\"  | 7 | true", "\"0\" | 0 | true",
            "\"07\"   | 7 | false", "\"00\" | 0 | false", "W/\"00\" | 0 | false", "00 | 0 | false",
            "\"+7\"   | 7 | false", "\"-0\" | 0 | false", "\"7.0\" | 7 | false", "\"8\" | 7 | false",
            "\"\"     | 0 | false", "\"abc\" | 7 | false", "\"9223372036854775807\" | 9223372036854775807 | true"})
    void aVersionMatchesOnlyItsOwnEntityTag(String header, long version, boolean matches) {
        assertThat(IfMatch.parse(header).matches(version)).isEqualTo(matches);
        if (matches) {
            IfMatch.check(IfMatch.parse(header), "Recommendation 3", version);
        } else {
            assertThatThrownBy(() -> IfMatch.check(IfMatch.parse(header), "Recommendation 3", version))
                    .isInstanceOf(VersionMismatch.class)
                    .hasMessageStartingWith("Recommendation 3 is at version " + version + " (ETag \"" + version + "\")");
        }
    }

    @ParameterizedTest(name = "[{0}] is not one entity tag")
    @ValueSource(strings = {"\"7", "7\"", "\"7\", \"8\"", "\" 7\"", "W/", "\"7\"\"", "7 8", "\"7\u0000\"", "\"7\u20ac\""})
    void anythingElseIsA400NamingTheHeader(String header) {
        assertThatThrownBy(() -> IfMatch.parse(header)).isInstanceOfSatisfying(InvalidInput.class,
                e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("If-Match"));
    }

    @ParameterizedTest(name = "[{0}] asks for no particular version")
    @ValueSource(strings = {"", "  ", "*"})
    void noHeaderOrAStarIsNoPrecondition(String header) {
        assertThat(IfMatch.parse(header)).isNull();
        IfMatch.check(null, "Recommendation 3", 5);
    }
}
