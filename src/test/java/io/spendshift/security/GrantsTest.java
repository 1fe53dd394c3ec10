package io.spendshift.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Groups {@code portfolio:<key>:<role>} beside global roles, and the hierarchy within a portfolio. */
class GrantsTest {

    @Test
    void aRoleOnAPortfolioImpliesWhatTheSameRoleImpliesGlobally() {
        Grants g = Grants.of(List.of("portfolio:acme:admin", "portfolio:brand-b:approver", "portfolio:c_3:strategist"));
        assertThat(g.global()).isEmpty();
        assertThat(g.portfolios()).isEqualTo(Map.of(
                "acme", Set.copyOf(Roles.ALL),
                "brand-b", Set.of(Roles.APPROVER, Roles.VIEWER),
                "c_3", Set.of(Roles.STRATEGIST, Roles.VIEWER)));
        assertThat(g.holds("acme", Roles.INGEST)).isTrue();
        assertThat(g.holds("brand-b", Roles.VIEWER)).isTrue();
        assertThat(g.holds("brand-b", Roles.ADMIN)).isFalse();
        assertThat(g.holds("other", Roles.VIEWER)).isFalse();
        assertThat(g.doorRoles()).containsExactlyInAnyOrderElementsOf(Roles.ALL);
    }

    @Test
    void globalRolesReachEveryPortfolioAndScopedOnesAddToThem() {
        Grants g = Grants.of(List.of("viewer", "portfolio:acme:approver"));
        assertThat(g.global()).containsExactly(Roles.VIEWER);
        assertThat(g.sees("anything")).isTrue();
        assertThat(g.holds("anything", Roles.VIEWER)).isTrue();
        assertThat(g.holds("anything", Roles.APPROVER)).isFalse();
        assertThat(g.holds("acme", Roles.APPROVER)).isTrue();
        assertThat(g.scope(Roles.VIEWER)).isEqualTo(PortfolioScope.ALL);
        assertThat(g.scope(Roles.APPROVER)).isEqualTo(PortfolioScope.of(Set.of("acme")));
        assertThat(g.scope(Roles.ADMIN).isEmpty()).isTrue();
    }

    @Test
    void aPortfolioIsSeenThroughAnyRoleOnItEvenOneThatReadsNothing() {
        Grants g = Grants.of(List.of("portfolio:feed:ingest"));
        assertThat(g.sees("feed")).isTrue();
        assertThat(g.sees("other")).isFalse();
        assertThat(g.scope(Roles.VIEWER).isEmpty()).isTrue();
        // a group that is no role at all reaches nothing
        assertThat(Grants.of(List.of("everyone")).sees("feed")).isFalse();
    }

    @ParameterizedTest(name = "{0} grants nothing")
    @ValueSource(strings = {"portfolio:acme", "portfolio:acme:owner", "portfolio:Acme:viewer", "portfolio::viewer",
            "portfolio:acme:viewer:extra", "portfolio:acme:Viewer", "portfolio:-acme:viewer", "portfolio:a b:viewer",
            "Portfolio:acme:viewer", "portfolio:acme:"})
    void aMalformedGroupGrantsNothing(String group) {
        Grants g = Grants.of(List.of(group));
        assertThat(g.portfolios()).isEmpty();
        assertThat(g.doorRoles()).noneMatch(Roles::isRole);
        assertThat(g.sees("acme")).isFalse();
    }

    @Test
    void aGroupNamesItsPortfolioAndRole() {
        assertThat(Grants.group("acme", Roles.VIEWER)).isEqualTo("portfolio:acme:viewer");
        assertThat(Grants.of(List.of(Grants.group("acme", Roles.VIEWER))).holds("acme", Roles.VIEWER)).isTrue();
    }
}
