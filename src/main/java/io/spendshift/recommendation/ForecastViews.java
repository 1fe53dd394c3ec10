package io.spendshift.recommendation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spendshift.learning.Forecast;
import io.spendshift.learning.Interval;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Forecasts as stored (full precision, JSON text in {@code recommendation.forecast} and {@code run.forecast}) and
 * as shown (API.md "Forecasts": money-like numbers rounded to 2 decimals, or {@code {unavailable: reason}}).
 */
public final class ForecastViews {

    /**
     * Its own mapper: the service's is strict about numbers as strings, and a forecast's doubles may be NaN or
     * infinite (written as strings by Jackson), which must read back as they were written.
     */
    private static final ObjectMapper STORE = new ObjectMapper();

    private ForecastViews() {
    }

    /** The stored text of a forecast; null stays null. */
    public static String write(Forecast f) {
        if (f == null) {
            return null;
        }
        try {
            return STORE.writeValueAsString(f);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A stored forecast; null (none recorded) stays null. */
    public static Forecast read(String stored) {
        if (stored == null || stored.isBlank()) {
            return null;
        }
        try {
            return STORE.readValue(stored, Forecast.class);
        } catch (JsonProcessingException e) {
            return Forecast.unavailable("the stored forecast cannot be read");
        }
    }

    /** The view of a stored forecast, or null when none was recorded. */
    public static Map<String, Object> view(String stored) {
        return view(read(stored));
    }

    public static Map<String, Object> view(Forecast f) {
        if (f == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        if (!f.available()) {
            m.put("unavailable", f.unavailable());
            return m;
        }
        m.put("level", f.level());
        m.put("horizonDays", f.horizonDays());
        m.put("valuePerDay", interval(f.valuePerDay()));
        m.put("valueOverHorizon", interval(f.valueOverHorizon()));
        List<Map<String, Object>> channels = new ArrayList<>();
        if (f.channels() != null) {
            for (Forecast.ChannelForecast c : f.channels()) {
                Map<String, Object> cm = new LinkedHashMap<>();
                cm.put("channel", c.channel());
                cm.put("valuePerDay", interval(c.valuePerDay()));
                channels.add(cm);
            }
        }
        m.put("channels", channels);
        m.put("explorationCostPerDay", interval(f.explorationCostPerDay()));
        return m;
    }

    /** {expected, low, high}, each rounded to 2 decimals (null where not a finite number); null stays null. */
    public static Map<String, Object> interval(Interval i) {
        if (i == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("expected", money(i.expected()));
        m.put("low", money(i.low()));
        m.put("high", money(i.high()));
        return m;
    }

    public static BigDecimal money(double v) {
        return Double.isFinite(v) ? BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_EVEN) : null;
    }
}
