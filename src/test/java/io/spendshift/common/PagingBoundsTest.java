package io.spendshift.common;

import io.quarkus.test.junit.QuarkusTest;
import io.spendshift.Api;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.spendshift.Api.as;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

/**
 * Every paged list answers any page a client can ask for with a page (empty past the end) or a 400 problem
 * naming {@code page}, never a 5xx: page × size used to overflow into a negative offset.
 */
@QuarkusTest
class PagingBoundsTest {

    private static String key;

    /** One portfolio for the per-portfolio lists, made on first use. */
    static synchronized String key() {
        if (key == null) {
            key = Api.portfolioWithChannels("paging", "search");
        }
        return key;
    }

    static String path(String list) {
        return list.replace("{key}", key());
    }


    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/api/v1/audit", "/api/v1/portfolios", "/api/v1/recommendations", "/api/v1/rules/versions",
            "/api/v1/portfolios/{key}/metrics", "/api/v1/portfolios/{key}/runs"})
    void aPageNoOffsetCanReachIsA400NamingPage(String list) {
        for (String q : new String[]{"page=2147483647&size=500", "page=2147483647&size=1", "page=4294967&size=500",
                "page=1073741824&size=2"}) {
            as("viewer").get(path(list) + "?" + q).then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("status", equalTo(400))
                    .body("errors[0].field", equalTo("page"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/api/v1/audit", "/api/v1/portfolios", "/api/v1/recommendations", "/api/v1/rules/versions",
            "/api/v1/portfolios/{key}/metrics", "/api/v1/portfolios/{key}/runs"})
    void theLastReachablePagesArePagesPastTheEnd(String list) {
        for (String q : new String[]{"page=4294966&size=500", "page=2147483646&size=1", "page=1000&size=50"}) {
            String[] p = q.split("&");
            as("viewer").get(path(list) + "?" + q).then().statusCode(200)
                    .body("items", empty())
                    .body("page", equalTo(Integer.parseInt(p[0].substring(5))))
                    .body("size", equalTo(Integer.parseInt(p[1].substring(5))));
        }
    }
}
