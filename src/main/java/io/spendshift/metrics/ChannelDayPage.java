package io.spendshift.metrics;

import io.spendshift.common.InvalidInput;
import io.spendshift.common.NotFound;
import io.spendshift.common.Page;

import io.spendshift.portfolio.Channel;
import io.spendshift.portfolio.Portfolio;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One page of a portfolio's channel-day rows (metrics, outcomes), filtered by channel and an inclusive date range,
 * ordered by date then channel. Checks the parameters the same way for every such list: a bad page or size, an
 * unknown channel (404), {@code from} after {@code to} (400).
 */
public final class ChannelDayPage {

    private ChannelDayPage() {
    }

    /**
     * {@code table} aliased {@code t} with {@code channel_id} and the date column {@code dateColumn};
     * {@code columns} what to select (the channel key is {@code c.ckey}); {@code row} maps a result row.
     */
    public static <T> Page<T> find(EntityManager em, String table, String dateColumn, String columns,
                                   Function<Object[], T> row, String portfolioKey, String channel, LocalDate from,
                                   LocalDate to, int page, int size) {
        return find(em, table, dateColumn, columns, row, portfolioKey, channel, from, to, page, size, false);
    }

    /** As above; {@code newestFirst} orders by date descending (then channel). */
    public static <T> Page<T> find(EntityManager em, String table, String dateColumn, String columns,
                                   Function<Object[], T> row, String portfolioKey, String channel, LocalDate from,
                                   LocalDate to, int page, int size, boolean newestFirst) {
        Page.check(page, size);
        Portfolio p = Portfolio.require(portfolioKey);
        if (channel != null && Channel.byKey(p, channel).isEmpty()) {
            throw new NotFound("Channel", channel);
        }
        if (from != null && to != null && from.isAfter(to)) {
            throw InvalidInput.of("from", "must not be after 'to'");
        }
        StringBuilder where = new StringBuilder(" FROM " + table + " t JOIN channel c ON c.id = t.channel_id"
                + " WHERE c.portfolio_id = :p");
        Map<String, Object> params = new HashMap<>();
        params.put("p", p.id);
        if (channel != null) {
            where.append(" AND c.ckey = :channel");
            params.put("channel", channel);
        }
        if (from != null) {
            where.append(" AND t.").append(dateColumn).append(" >= :from");
            params.put("from", from);
        }
        if (to != null) {
            where.append(" AND t.").append(dateColumn).append(" <= :to");
            params.put("to", to);
        }
        Query count = em.createNativeQuery("SELECT COUNT(*)" + where);
        Query select = em.createNativeQuery("SELECT " + columns + where + " ORDER BY t." + dateColumn
                + (newestFirst ? " DESC" : "") + ", c.ckey");
        params.forEach((k, v) -> {
            count.setParameter(k, v);
            select.setParameter(k, v);
        });
        long total = ((Number) count.getSingleResult()).longValue();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = select.setFirstResult(Page.offset(page, size)).setMaxResults(size).getResultList();
        return new Page<>(rows.stream().map(row).toList(), page, size, total);
    }
}
