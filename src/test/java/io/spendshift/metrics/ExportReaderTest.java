package io.spendshift.metrics;

import io.spendshift.common.FieldError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

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
        BigDecimal n = ExportReader.number(cell, decimal, "spend", 3, errors);
        assertThat(errors).isEmpty();
        assertThat(n).isEqualByComparingTo(expected);
    }

    @ParameterizedTest(name = "{0} with decimal {1} is refused")
    @CsvSource(delimiter = '|', value = {"12,50|.", "1,23,4|.", "12.345.6|,", "abc|.", "1e5|.", "12%|."})
    void numbersThatDoNotFitTheSeparatorsAreRefusedWithTheirLine(String cell, char decimal) {
        List<FieldError> errors = new ArrayList<>();
        assertThat(ExportReader.number(cell, decimal, "spend", 7, errors)).isNull();
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

    private static String detect(String header) {
        String text = header + "\n";
        try {
            return ExportReader.read(text, ExportFormat.PRESETS, true, null, null, true, CHANNELS, "EUR").format();
        } catch (io.spendshift.common.InvalidInput e) {
            return "none: " + e.errors();
        }
    }
}
