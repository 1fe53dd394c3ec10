package io.spendshift.metrics;

import io.spendshift.common.FieldError;
import io.spendshift.common.TooLarge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading exports without a server: numbers as platforms write them, detection, skipping, mapping. */
class ExportReaderTest {

    private static final ExportReader.Channels CHANNELS = new ExportReader.Channels(Set.of("search", "social"),
            Map.of("111", "search"), Map.of("prospecting", "social"));

    @ParameterizedTest(name = "{0} with decimal {1} is {2}")
    @CsvSource(delimiter = '|', value = {
            "1,234.56|.|1234.56", "$1,234.56|.|1234.56", "2,774|.|2774", "7.42|.|7.42", "USD 12.00|.|12.00",
            "1.234,56 €|,|1234.56", "1.234.567|,|1234567", "12,5|,|12.5", "--|.|0", "' '|.|0", "1 234,56|,|1234.56",
            "(20.00)|.|-20.00", ".5|.|0.5"})
    void numbersAreReadAsExportsWriteThem(String cell, char decimal, String expected) {
        List<FieldError> errors = new ArrayList<>();
        BigDecimal n = ExportCells.number(cell, decimal, "spend", 3, errors);
        assertThat(errors).isEmpty();
        assertThat(n).isEqualByComparingTo(expected);
    }

    @ParameterizedTest(name = "{0} with decimal {1} is refused")
    @CsvSource(delimiter = '|', value = {"12,50|.", "1,23,4|.", "12.345.6|,", "abc|.", "1e5|.", "12%|."})
    void numbersThatDoNotFitTheSeparatorsAreRefusedWithTheirLine(String cell, char decimal) {
        List<FieldError> errors = new ArrayList<>();
        assertThat(ExportCells.number(cell, decimal, "spend", 7, errors)).isNull();
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.row()).isEqualTo(7);
            assertThat(e.field()).isEqualTo("spend");
        });
    }

    @Test
    void theFormatIsDetectedBelowTitleLinesAndTotalsAreSkipped() {
        String text = "Report\n\"Sep 1, 2026 - Sep 2, 2026\"\n"
                + "Day,Campaign,Campaign ID,Cost,Impr.,Clicks,Conversions,Conv. value\n"
                + "2026-09-01,Brand,111,10.00,100,10,1.5,20.00\n"
                + "2026-09-01,Prospecting,999,5.00,100,10,0.5,5.00\n"
                + "2026-09-01,Other,222,5.00,100,10,0.5,5.00\n"
                + "Total: Account,--,--,20.00,300,30,2.5,30.00\n";
        ExportReader.Parsed p = ExportReader.read(text, ExportFormat.PRESETS, true, null, null, false, CHANNELS, "EUR");
        assertThat(p.format()).isEqualTo("google-ads");
        assertThat(p.headerLine()).isEqualTo(3);
        assertThat(p.skippedLines()).isEqualTo(3);
        assertThat(p.rows()).extracting(r -> r.values().get("channel")).containsExactly("search", "social");
        assertThat(p.unmapped()).containsExactly("'Other' (id 222)");
        assertThat(p.errors()).singleElement().satisfies(e -> assertThat(e.row()).isEqualTo(6));
    }

    @Test
    void semicolonSeparatedFilesAndEachPresetAreRecognised() {
        assertThat(detect("Day;Campaign;Cost;Impr.;Clicks;Conversions;Conv. value")).isEqualTo("google-ads");
        assertThat(detect("Reporting starts,Reporting ends,Campaign name,Amount spent (EUR),Impressions,Link clicks,"
                + "Purchases,Purchases conversion value")).isEqualTo("meta-ads");
        assertThat(detect("Time period,Campaign name,Impressions,Clicks,Spend,Conversions,Revenue"))
                .isEqualTo("microsoft-ads");
        assertThat(detect("By Day,Campaign name,Cost,Impressions,Clicks (destination),Conversions,Total purchase value"))
                .isEqualTo("tiktok-ads");
    }

    private static final String GOOGLE = "Day,Campaign,Cost,Impr.,Clicks,Conversions,Conv. value\n";

    private static ExportReader.Parsed read(String text, boolean ignoreUnmapped, ExportReader.Limits limits) {
        return ExportReader.read(new java.io.StringReader(text), List.of(ExportFormat.preset("google-ads").orElseThrow()),
                false, null, null, ignoreUnmapped, CHANNELS, "EUR", limits);
    }

    @Test
    void campaignsNoChannelClaimsAreListedUpToFiftyWithAFewLinesAndAllCounted() {
        StringBuilder csv = new StringBuilder(GOOGLE);
        for (int i = 0; i < 120; i++) {
            csv.append("2026-09-01,Unclaimed ").append(i).append(",1,1,1,0,0\n");
        }
        for (int i = 0; i < 7; i++) {
            csv.append("2026-09-02,Unclaimed 0,1,1,1,0,0\n"); // lines 122 to 128: the first campaign again
        }
        csv.append("2026-09-01,Prospecting,5,100,10,1,5\n");
        ExportReader.Parsed p = read(csv.toString(), false, ExportReader.Limits.NONE);
        assertThat(p.unmapped()).hasSize(ExportReader.LISTED_CAMPAIGNS).startsWith("'Unclaimed 0'", "'Unclaimed 1'");
        assertThat(p.unmappedCount()).isEqualTo(120);
        assertThat(p.errorCount()).as("one error per campaign, listed or not").isEqualTo(120);
        assertThat(p.errors()).hasSize(ExportReader.LISTED_CAMPAIGNS);
        assertThat(p.errors().get(0).row()).isEqualTo(2);
        assertThat(p.errors().get(0).message()).contains("(lines 2, 122, 123, 124, 125 and 3 more)");
        assertThat(p.rows()).extracting(r -> r.values().get("channel")).containsExactly("social");
        ExportReader.Parsed ignored = read(csv.toString(), true, ExportReader.Limits.NONE);
        assertThat(ignored.ignored()).hasSize(ExportReader.LISTED_CAMPAIGNS);
        assertThat(ignored.ignoredCount()).isEqualTo(120);
        assertThat(ignored.unmappedCount()).isZero();
        assertThat(ignored.errorCount()).isZero();
    }

    @Test
    void moreRowsThanTheLimitRefuseTheUploadNamingTheLimit() {
        String fiveRows = GOOGLE + "2026-09-01,Prospecting,5,100,10,1,5\n".repeat(5);
        assertThat(read(fiveRows, false, new ExportReader.Limits(5, 10, null)).rows()).hasSize(1);
        assertThatThrownBy(() -> read(fiveRows + "2026-09-02,Prospecting,5,100,10,1,5\n", false,
                new ExportReader.Limits(5, 10, null)))
                .isInstanceOfSatisfying(TooLarge.class, e -> {
                    assertThat(e.limit()).isEqualTo("spendshift.ingest.max-rows");
                    assertThat(e.maximum()).isEqualTo(5);
                    assertThat(e.getMessage()).contains("more than 5 rows").contains("nothing was stored");
                });
    }

    @Test
    void moreDistinctUnclaimedCampaignsThanTheLimitRefuseTheUploadWhetherIgnoredOrNot() {
        // three campaigns on many lines are within a limit of three
        String three = GOOGLE + "2026-09-01,A,1,1,1,0,0\n2026-09-01,B,1,1,1,0,0\n2026-09-01,C,1,1,1,0,0\n".repeat(50);
        ExportReader.Limits limits = new ExportReader.Limits(1_000, 3, null);
        assertThat(read(three, false, limits).unmappedCount()).isEqualTo(3);
        for (boolean ignore : new boolean[]{false, true}) {
            assertThatThrownBy(() -> read(three + "2026-09-01,D,1,1,1,0,0\n", ignore, limits))
                    .isInstanceOfSatisfying(TooLarge.class, e -> {
                        assertThat(e.limit()).isEqualTo("spendshift.ingest.max-distinct-campaigns");
                        assertThat(e.maximum()).isEqualTo(3);
                        assertThat(e.getMessage()).contains("more than 3 distinct campaigns");
                    });
        }
    }

    @Test
    void daysOutsideWhatCanBeStoredAndUnknownChannelKeysAreRefusedOnTheirLineAndNotHeld() {
        LocalDate today = LocalDate.of(2026, 9, 10);
        String csv = "channel,date,spend,impressions,clicks,conversions,revenue\n"
                + "search,2026-09-10,1,1,1,0,0\n"
                + "search,2026-09-11,1,1,1,0,0\n"
                + "search,1969-12-31,1,1,1,0,0\n"
                + "radio,2026-09-09,1,1,1,0,0\n";
        ExportReader.Parsed p = ExportReader.read(new java.io.StringReader(csv),
                List.of(ExportFormat.preset("spendshift").orElseThrow()), false, null, null, false, CHANNELS, "EUR",
                new ExportReader.Limits(100, 100, today));
        assertThat(p.rows()).singleElement().satisfies(r -> assertThat(r.values().get("date")).isEqualTo("2026-09-10"));
        assertThat(p.errors()).extracting(FieldError::row, FieldError::field).containsExactly(
                org.assertj.core.groups.Tuple.tuple(3, "date"), org.assertj.core.groups.Tuple.tuple(4, "date"),
                org.assertj.core.groups.Tuple.tuple(5, "channel"));
        assertThat(p.errors().get(0).message()).contains("is after today (2026-09-10)");
        assertThat(p.errors().get(2).message()).isEqualTo("unknown channel 'radio' in this portfolio");
    }

    @Test
    void aLongFileIsReadAsAStreamWithTheLinesOfTheFileAcrossTheHeaderSearch() {
        // title lines, the header on line 3, then more lines than the header search reads ahead, in CRLF
        StringBuilder csv = new StringBuilder("Campaign report\r\n\"Sep 1, 2026 - Sep 30, 2026\"\r\n"
                + GOOGLE.replace("\n", "\r\n"));
        for (int day = 1; day <= 30; day++) {
            csv.append(String.format("2026-09-%02d,Prospecting,1.50,10,1,0,0\r\n", day));
        }
        csv.append("2026-09-30,Prospecting,x,10,1,0,0\r\n"); // line 34
        csv.append("Total: Account,--,45.00,300,30,0,0");   // no newline at the end
        ExportReader.Parsed p = read(csv.toString(), false, ExportReader.Limits.NONE);
        assertThat(p.headerLine()).isEqualTo(3);
        assertThat(p.rows()).hasSize(30);
        assertThat(p.rows().get(29).row()).as("the line of 2026-09-30").isEqualTo(33);
        assertThat(p.errors()).singleElement().satisfies(e -> assertThat(e.row()).isEqualTo(34));
        assertThat(p.skippedLines()).isEqualTo(3);
    }

    @Test
    void aBlankLineRightAfterTheHeaderSearchStillCountsAsALineOfTheFile() {
        // the header on line 29, a blank line 30 (the last line read while looking for the header), data from 31
        String csv = "Report\n".repeat(28) + GOOGLE + "\n" + "2026-09-01,Prospecting,x,10,1,0,0\n"
                + "2026-09-02,Prospecting,1,10,1,0,0\n";
        ExportReader.Parsed p = read(csv, false, ExportReader.Limits.NONE);
        assertThat(p.headerLine()).isEqualTo(29);
        assertThat(p.errors()).singleElement().satisfies(e -> assertThat(e.row()).isEqualTo(31));
        assertThat(p.rows()).singleElement().satisfies(r -> assertThat(r.row()).isEqualTo(32));
        assertThat(p.skippedLines()).isEqualTo(29);
    }

    private static String detect(String header) {
        String text = header + "\n";
        try {
            return ExportReader.read(text, ExportFormat.PRESETS, true, null, null, true, CHANNELS, "EUR").format();
        } catch (io.spendshift.common.InvalidInput e) {
            return "none: " + e.errors();
        }
    }
}
