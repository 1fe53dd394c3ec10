package io.spendshift.recommendation;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * A designed budget move a recommendation starts on one channel (table {@code experiment}): PLANNED with the
 * recommendation, ACTIVE once it is applied (from {@code startsOn}, the applied effective date, until the day
 * before {@code until}; its move stays in the budget until a later applied plan undoes it), DONE once an applied
 * plan has undone it, ENDED when the recommendation is superseded, rejected or expired without being applied.
 * The facts read the ACTIVE and DONE ones: their days are exogenous budget variation the response model prefers.
 */
@Entity
@Table(name = "experiment")
public class ExperimentRecord extends PanacheEntityBase {

    public enum Status { PLANNED, ACTIVE, DONE, ENDED }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "portfolio_id")
    public Long portfolioId;
    @Column(name = "channel_id")
    public Long channelId;
    @Column(name = "recommendation_id")
    public Long recommendationId;
    public BigDecimal amount;
    @Column(name = "delta_pct")
    public BigDecimal deltaPct;
    public String reason;
    @Column(name = "starts_on")
    public LocalDate startsOn;
    public LocalDate until;
    @Enumerated(EnumType.STRING)
    public Status status;
}
