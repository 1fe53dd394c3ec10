package io.spendshift.portfolio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spendshift.common.FieldError;
import io.spendshift.common.Params;
import io.spendshift.outbound.OutboundGuard;
import io.spendshift.portfolio.PortfolioDtos.NotifyInput;
import io.spendshift.portfolio.PortfolioDtos.NotifyView;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A portfolio's notification targets ({@code notify: [{type, target, events, digest}]}): their validation, how
 * they are stored (JSON in {@code portfolio.notify_targets}) and how they are shown. A Slack incoming-webhook URL
 * is a credential: answers and the audit show only its origin ({@code https://hooks.slack.com/…}) and
 * {@code targetSet: true}; a patch that sends that redacted form back keeps the stored URL.
 */
public final class NotifySettings {

    public static final List<String> TYPES = List.of("SLACK", "EMAIL", "WEBHOOK");
    /** The events a target may subscribe to (API.md). */
    public static final List<String> EVENTS = List.of("RECOMMENDATION_PROPOSED", "APPLY_FAILED",
            "RECOMMENDATION_UNDERDELIVERED", "PORTFOLIO_HELD", "SOURCE_FAILED", "DROP_REJECTED", "RULES_REJECTED",
            "CHANNEL_FLAGGED", "BUDGET_DRIFT");
    static final int MAX_TARGETS = 20;
    static final int MAX_URL = 2000;
    private static final String ELLIPSIS = "…";
    private static final Pattern EMAIL = Pattern.compile("^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+$");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One stored target, in clear. */
    public record Target(String type, String target, List<String> events, boolean digest) {

        /** What answers and logs may show of the target. */
        public String shown() {
            return redact(type, target);
        }
    }

    private NotifySettings() {
    }

    /** Adds an {@code errors[]} entry per problem, named {@code notify[i].field}. */
    static void check(List<NotifyInput> in, List<FieldError> errors, OutboundGuard outbound) {
        if (in == null) {
            return;
        }
        if (in.size() > MAX_TARGETS) {
            errors.add(FieldError.of("notify", "at most " + MAX_TARGETS + " targets"));
            return;
        }
        for (int i = 0; i < in.size(); i++) {
            String f = "notify[" + i + "]";
            NotifyInput n = in.get(i);
            if (n == null) {
                errors.add(FieldError.of(f, "must be an object {type, target, events}"));
                continue;
            }
            if (n.type() == null || !TYPES.contains(n.type())) {
                errors.add(FieldError.of(f + ".type", "must be one of " + String.join(", ", TYPES)));
            } else {
                checkTarget(n.type(), n.target(), f + ".target", errors, outbound);
            }
            if (n.events() == null || n.events().isEmpty()) {
                errors.add(FieldError.of(f + ".events", "at least one event, of " + String.join(", ", EVENTS)));
            } else {
                for (int j = 0; j < n.events().size(); j++) {
                    if (!EVENTS.contains(n.events().get(j))) {
                        errors.add(FieldError.of(f + ".events[" + j + "]", "must be one of " + String.join(", ", EVENTS)));
                    }
                }
            }
        }
    }

    // messages never quote the value: a Slack URL is a credential
    private static void checkTarget(String type, String target, String field, List<FieldError> errors,
                                    OutboundGuard outbound) {
        if (target == null || target.isBlank()) {
            errors.add(FieldError.of(field, "is required"));
            return;
        }
        if (Params.hasControlChars(target) || target.length() > MAX_URL) {
            errors.add(FieldError.of(field, "must be printable, at most " + MAX_URL + " characters"));
            return;
        }
        switch (type) {
            case "EMAIL" -> {
                if (target.length() > 254 || !EMAIL.matcher(target).matches()) {
                    errors.add(FieldError.of(field, "must be one e-mail address such as team@example.com"));
                }
            }
            case "SLACK", "WEBHOOK" -> {
                if (target.contains(ELLIPSIS)) {
                    errors.add(FieldError.of(field, "is a redacted URL; send the whole URL"));
                } else if (!PortfolioValidator.isHttpUrl(target)) {
                    errors.add(FieldError.of(field, type.equals("SLACK")
                            ? "must be a Slack incoming-webhook URL (https://hooks.slack.com/services/…)"
                            : "must be an absolute http or https URL"));
                } else {
                    outbound.check(field, target, errors);
                }
            }
            default -> throw new IllegalArgumentException(type);
        }
    }

    /** What may be shown of a target: a Slack URL only as its origin, other targets as they are. */
    public static String redact(String type, String target) {
        if (!"SLACK".equals(type) || target == null) {
            return target;
        }
        try {
            URI u = URI.create(target);
            return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort()) + "/" + ELLIPSIS;
        } catch (RuntimeException e) {
            return ELLIPSIS;
        }
    }

    /** The stored form: null for none. */
    static String write(List<NotifyInput> in) {
        if (in == null || in.isEmpty()) {
            return null;
        }
        List<Target> targets = in.stream().map(n -> new Target(n.type(), n.target(),
                List.copyOf(new LinkedHashSet<>(n.events())), Boolean.TRUE.equals(n.digest()))).toList();
        try {
            return JSON.writeValueAsString(targets);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The targets of a stored form (null or blank: none). */
    public static List<Target> parse(String stored) {
        if (stored == null || stored.isBlank()) {
            return List.of();
        }
        try {
            return JSON.readValue(stored, new TypeReference<List<Target>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored notification targets are not readable", e);
        }
    }

    /** The input that recreates the stored targets (the base of a merge-patch), in clear. */
    static List<NotifyInput> inputs(String stored) {
        List<Target> targets = parse(stored);
        return targets.isEmpty() ? null : targets.stream()
                .map(t -> new NotifyInput(t.type(), t.target(), t.events(), t.digest() ? Boolean.TRUE : null)).toList();
    }

    /** How the targets are answered. */
    static List<NotifyView> views(String stored) {
        return parse(stored).stream().map(t -> new NotifyView(t.type(), t.shown(), true, t.events(), t.digest()))
                .toList();
    }

    /** The Slack URLs (credentials), for the audit's fingerprints of what changed. */
    static List<String> secrets(String stored) {
        return parse(stored).stream().filter(t -> "SLACK".equals(t.type())).map(Target::target).toList();
    }

    /**
     * In a merged portfolio, a Slack target sent back in its redacted form (as a GET answered it) becomes the
     * stored URL it stands for, when exactly one stored Slack URL has that form.
     */
    static void restoreRedacted(JsonNode merged, String stored) {
        JsonNode notify = merged.get("notify");
        if (notify == null || !notify.isArray()) {
            return;
        }
        List<Target> current = parse(stored);
        for (JsonNode n : notify) {
            if (n instanceof ObjectNode o && "SLACK".equals(o.path("type").asText(null))
                    && o.path("target").isTextual() && o.path("target").asText().endsWith(ELLIPSIS)) {
                List<String> matches = current.stream().filter(t -> "SLACK".equals(t.type()))
                        .map(Target::target).filter(t -> Objects.equals(redact("SLACK", t), o.path("target").asText()))
                        .distinct().toList();
                if (matches.size() == 1) {
                    o.put("target", matches.get(0));
                }
            }
        }
    }

    /** A copy of a patch whose Slack targets are redacted (for the audit). */
    static JsonNode redactPatch(JsonNode patch) {
        if (patch == null || !patch.has("notify") || !patch.get("notify").isArray()) {
            return patch;
        }
        ObjectNode copy = ((ObjectNode) patch).deepCopy();
        ArrayNode list = (ArrayNode) copy.get("notify");
        for (JsonNode n : list) {
            if (n instanceof ObjectNode o && o.path("target").isTextual()) {
                String type = o.path("type").asText(null);
                // an unknown type is refused anyway, but its target may still be a credential
                o.put("target", "EMAIL".equals(type) || "WEBHOOK".equals(type) ? o.path("target").asText()
                        : redact("SLACK", o.path("target").asText()));
            }
        }
        return copy;
    }

    /** Every event name, for documentation and messages. */
    public static List<String> events() {
        return new ArrayList<>(EVENTS);
    }
}
