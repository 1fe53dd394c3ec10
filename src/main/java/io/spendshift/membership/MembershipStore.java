package io.spendshift.membership;

import io.spendshift.common.Page;
import io.spendshift.common.SqlValues;
import io.spendshift.security.MembershipSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The SQL of {@code portfolio_member}: one row per portfolio, user and role granted. */
@ApplicationScoped
public class MembershipStore implements MembershipSource {

    /** A stored grant. */
    record Grant(String user, String role, Instant grantedAt, String grantedBy) {
    }

    private final EntityManager em;

    MembershipStore(EntityManager em) {
        this.em = em;
    }

    /** Read at each demo login (no transaction of its own there). */
    @Override
    @Transactional
    public Map<String, Set<String>> memberships(String user) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT p.pkey, m.member_role FROM portfolio_member m"
                + " JOIN portfolio p ON p.id = m.portfolio_id WHERE m.member_name = ?1").setParameter(1, user)
                .getResultList();
        Map<String, Set<String>> out = new TreeMap<>();
        for (Object[] r : rows) {
            out.computeIfAbsent((String) r[0], k -> new TreeSet<>()).add((String) r[1]);
        }
        return out;
    }

    /** Serialises membership changes of a portfolio (two PUTs for one user would both insert). */
    void lock(long portfolioId) {
        em.createNativeQuery("SELECT id FROM portfolio WHERE id = ?1 FOR UPDATE").setParameter(1, portfolioId)
                .getResultList();
    }

    /** The grants of one user on a portfolio. */
    List<Grant> grants(long portfolioId, String user) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT member_name, member_role, granted_at, granted_by"
                        + " FROM portfolio_member WHERE portfolio_id = ?1 AND member_name = ?2")
                .setParameter(1, portfolioId).setParameter(2, user).getResultList();
        return rows.stream().map(MembershipStore::grant).toList();
    }

    /** The grants of a page of the portfolio's members, by user name. */
    List<Grant> page(long portfolioId, int page, int size) {
        @SuppressWarnings("unchecked")
        List<String> users = em.createNativeQuery("SELECT DISTINCT member_name FROM portfolio_member"
                        + " WHERE portfolio_id = ?1 ORDER BY member_name").setParameter(1, portfolioId)
                .setFirstResult(Page.offset(page, size)).setMaxResults(size).getResultList();
        if (users.isEmpty()) {
            return List.of();
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT member_name, member_role, granted_at, granted_by"
                        + " FROM portfolio_member WHERE portfolio_id = ?1 AND member_name IN (?2)")
                .setParameter(1, portfolioId).setParameter(2, users).getResultList();
        List<Grant> out = new ArrayList<>();
        rows.forEach(r -> out.add(grant(r)));
        return out;
    }

    long count(long portfolioId) {
        return ((Number) em.createNativeQuery("SELECT COUNT(DISTINCT member_name) FROM portfolio_member"
                + " WHERE portfolio_id = ?1").setParameter(1, portfolioId).getSingleResult()).longValue();
    }

    void insert(long portfolioId, String user, String role, Instant at, String by) {
        em.createNativeQuery("INSERT INTO portfolio_member (portfolio_id, member_name, member_role, granted_at,"
                        + " granted_by) VALUES (?1, ?2, ?3, ?4, ?5)")
                .setParameter(1, portfolioId).setParameter(2, user).setParameter(3, role)
                .setParameter(4, Timestamp.from(at)).setParameter(5, by).executeUpdate();
    }

    void delete(long portfolioId, String user, String role) {
        em.createNativeQuery("DELETE FROM portfolio_member WHERE portfolio_id = ?1 AND member_name = ?2"
                        + " AND member_role = ?3")
                .setParameter(1, portfolioId).setParameter(2, user).setParameter(3, role).executeUpdate();
    }

    private static Grant grant(Object[] r) {
        return new Grant((String) r[0], (String) r[1], SqlValues.instant(r[2]), (String) r[3]);
    }
}
