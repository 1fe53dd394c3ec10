package io.spendshift.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spendshift.audit.AuditAction;
import io.spendshift.audit.AuditService;
import io.spendshift.common.FieldError;
import io.spendshift.common.InvalidInput;
import io.spendshift.common.Keys;
import io.spendshift.common.NotFound;
import io.spendshift.common.SqlValues;
import io.spendshift.portfolio.Portfolio;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A portfolio's saved custom column mappings ({@code import_mapping}): for exports no preset reads, e.g. a
 * German spreadsheet with {@code Kosten} and {@code Tag}. Validated on save, audited ({@code MAPPING_SAVED},
 * {@code MAPPING_DELETED}), used by {@code ?mapping=<name>}.
 */
@ApplicationScoped
public class MappingService {

    static final int MAX_SKIP_LINES = 100;
    static final int MAX_HEADER_LENGTH = 200;

    private final EntityManager em;
    private final ObjectMapper json;
    private final AuditService audit;
    private final Clock clock;

    MappingService(EntityManager em, ObjectMapper json, AuditService audit, Clock clock) {
        this.em = em;
        this.json = json;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * What a mapping says: {@code columns} maps metric fields to the file's header names; {@code decimal}
     * ({@code .} or {@code ,}; default {@code .}), {@code dateFormat} (default {@code yyyy-MM-dd}) and
     * {@code skipLines} (lines above the header; default: the header is searched for).
     */
    public record MappingInput(Map<String, String> columns, String decimal, String dateFormat, Integer skipLines) {
    }

    /** A saved mapping as answered. */
    public record MappingView(String name, Map<String, String> columns, String decimal, String dateFormat,
                              Integer skipLines, Instant updatedAt, String updatedBy) {
    }

    /** The list answer. */
    public record MappingList(List<MappingView> items) {
    }

    /** Saves (creates or replaces) a mapping; true when it is new. */
    @Transactional
    public Saved save(String key, String name, MappingInput in, String actor) {
        Portfolio p = Portfolio.require(key);
        Keys.requireSlug("name", name);
        MappingInput clean = validate(in);
        String definition;
        try {
            definition = json.writeValueAsString(clean);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        Timestamp now = Timestamp.from(clock.instant());
        int n = em.createNativeQuery("UPDATE import_mapping SET definition = ?1, updated_at = ?2, updated_by = ?3"
                        + " WHERE portfolio_id = ?4 AND mname = ?5")
                .setParameter(1, definition).setParameter(2, now).setParameter(3, actor).setParameter(4, p.id)
                .setParameter(5, name).executeUpdate();
        if (n == 0) {
            em.createNativeQuery("INSERT INTO import_mapping (portfolio_id, mname, definition, updated_at, updated_by)"
                            + " VALUES (?1, ?2, ?3, ?4, ?5)")
                    .setParameter(1, p.id).setParameter(2, name).setParameter(3, definition).setParameter(4, now)
                    .setParameter(5, actor).executeUpdate();
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("name", name);
        details.put("created", n == 0);
        details.put("columns", clean.columns());
        details.put("decimal", clean.decimal());
        details.put("dateFormat", clean.dateFormat());
        details.put("skipLines", clean.skipLines());
        audit.append(new AuditService.Event(actor, AuditAction.MAPPING_SAVED, "mapping", key + "/" + name, key, null,
                details));
        return new Saved(n == 0, get(key, name));
    }

    /** The outcome of a save. */
    public record Saved(boolean created, MappingView mapping) {
    }

    @Transactional
    public MappingList list(String key) {
        Portfolio p = Portfolio.require(key);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT mname, definition, updated_at, updated_by FROM import_mapping"
                + " WHERE portfolio_id = ?1 ORDER BY mname").setParameter(1, p.id).getResultList();
        List<MappingView> out = new ArrayList<>();
        for (Object[] r : rows) {
            out.add(view(r));
        }
        return new MappingList(out);
    }

    @Transactional
    public MappingView get(String key, String name) {
        return find(Portfolio.require(key), name)
                .orElseThrow(() -> new NotFound("mapping", key + "/" + name));
    }

    @Transactional
    public void delete(String key, String name, String actor) {
        Portfolio p = Portfolio.require(key);
        MappingView existing = find(p, name).orElseThrow(() -> new NotFound("mapping", key + "/" + name));
        em.createNativeQuery("DELETE FROM import_mapping WHERE portfolio_id = ?1 AND mname = ?2")
                .setParameter(1, p.id).setParameter(2, name).executeUpdate();
        audit.append(new AuditService.Event(actor, AuditAction.MAPPING_DELETED, "mapping", key + "/" + name, key, null,
                Map.of("name", name, "columns", existing.columns())));
    }

    /** The saved mapping as a format to read with; an unknown name is a 400 on the import's {@code mapping}. */
    ExportFormat format(Portfolio p, String name) {
        MappingView m = find(p, name).orElseThrow(() -> InvalidInput.of("mapping", "no mapping named '" + name
                + "' in portfolio " + p.key + "; see GET /api/v1/portfolios/" + p.key + "/mappings"));
        Map<String, List<String>> columns = new LinkedHashMap<>();
        m.columns().forEach((f, h) -> columns.put(f, List.of(h)));
        return new ExportFormat("mapping:" + name, columns, m.decimal().charAt(0), List.of(m.dateFormat()),
                m.skipLines());
    }

    private Optional<MappingView> find(Portfolio p, String name) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT mname, definition, updated_at, updated_by FROM import_mapping"
                + " WHERE portfolio_id = ?1 AND mname = ?2").setParameter(1, p.id).setParameter(2, name).getResultList();
        return rows.stream().findFirst().map(this::view);
    }

    private MappingView view(Object[] r) {
        try {
            MappingInput d = json.readValue((String) r[1], MappingInput.class);
            return new MappingView((String) r[0], d.columns(), d.decimal(), d.dateFormat(), d.skipLines(),
                    SqlValues.instant(r[2]), (String) r[3]);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored mapping " + r[0] + " is not readable", e);
        }
    }

    /** Every problem of a mapping at once; the defaults filled in. */
    static MappingInput validate(MappingInput in) {
        if (in == null) {
            throw InvalidInput.of("body", "a mapping object {columns, decimal, dateFormat, skipLines} is required");
        }
        List<FieldError> errors = new ArrayList<>();
        Map<String, String> columns = new LinkedHashMap<>();
        if (in.columns() == null || in.columns().isEmpty()) {
            errors.add(FieldError.of("columns", "is required: an object of field -> header name"));
        } else {
            Map<String, String> byHeader = new LinkedHashMap<>();
            in.columns().forEach((field, header) -> {
                if (!ExportFormat.FIELDS.contains(field)) {
                    errors.add(FieldError.of("columns." + field, "unknown field; fields are " + ExportFormat.FIELDS));
                } else if (header == null || header.isBlank()) {
                    errors.add(FieldError.of("columns." + field, "must name a header"));
                } else if (header.length() > MAX_HEADER_LENGTH) {
                    errors.add(FieldError.of("columns." + field, "must be at most " + MAX_HEADER_LENGTH + " characters"));
                } else {
                    String other = byHeader.putIfAbsent(ExportFormat.normal(header), field);
                    if (other != null) {
                        errors.add(FieldError.of("columns." + field, "header '" + header.trim() + "' is already mapped to "
                                + other));
                    }
                    columns.put(field, header.trim());
                }
            });
            for (String f : ExportFormat.REQUIRED) {
                if (!in.columns().containsKey(f)) {
                    errors.add(FieldError.of("columns." + f, "is required"));
                }
            }
            if (ExportFormat.ROW_KEYS.stream().noneMatch(in.columns()::containsKey)) {
                errors.add(FieldError.of("columns", "must map channel, campaign or campaignId: what says whose row it is"));
            }
            if (in.columns().containsKey("ltv") && !in.columns().containsKey("newCustomers")) {
                errors.add(FieldError.of("columns.ltv", "needs newCustomers (ltv is per new customer)"));
            }
        }
        String decimal = in.decimal() == null ? "." : in.decimal();
        if (!decimal.equals(".") && !decimal.equals(",")) {
            errors.add(FieldError.of("decimal", "must be '.' or ','"));
        }
        String dateFormat = in.dateFormat() == null || in.dateFormat().isBlank() ? "yyyy-MM-dd" : in.dateFormat().trim();
        try {
            ExportCells.formatter(dateFormat);
        } catch (InvalidInput e) {
            errors.addAll(e.errors());
        }
        if (in.skipLines() != null && (in.skipLines() < 0 || in.skipLines() > MAX_SKIP_LINES)) {
            errors.add(FieldError.of("skipLines", "must be between 0 and " + MAX_SKIP_LINES));
        }
        if (!errors.isEmpty()) {
            throw InvalidInput.of("The mapping is not usable", errors);
        }
        return new MappingInput(columns, decimal, dateFormat, in.skipLines());
    }
}
