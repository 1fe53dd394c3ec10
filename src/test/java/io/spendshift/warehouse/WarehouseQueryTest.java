package io.spendshift.warehouse;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The checks on an outcomes query before it is stored: one SELECT or WITH statement, no ';' outside quotes. */
class WarehouseQueryTest {

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "SELECT channel, date, new_customers, ltv FROM crm.cohorts | ",
            "  with c AS (SELECT 1) SELECT * FROM c                     | ",
            "(SELECT 1)                                                 | ",
            "SELECT ';' AS a, \"x;y\" FROM t -- a; comment              | ",
            "/* lead; */ SELECT 'it''s; fine'                           | ",
            "SELECT 1; DROP TABLE t                                     | single statement",
            "SELECT 1;                                                  | single statement",
            "DELETE FROM t                                              | SELECT or WITH",
            "INSERT INTO t SELECT 1                                     | SELECT or WITH",
            "SELECT 'open                                               | unterminated string",
            "SELECT 1 /* open                                           | unterminated comment",
    })
    void aQueryIsOneSelectOrWithStatement(String query, String problem) {
        if (problem == null) {
            assertThat(WarehouseQuery.problem(query)).isNull();
        } else {
            assertThat(WarehouseQuery.problem(query)).contains(problem);
        }
    }
}
