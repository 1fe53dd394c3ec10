package io.spendshift.common;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a body whose announced length exceeds {@code quarkus.http.limits.max-body-size} with a 413 problem
 * document, before a byte of it is read (otherwise the HTTP layer answers a bare 413). Bodies sent without a
 * length (chunked) are still cut off at the limit by the HTTP layer.
 */
@ApplicationScoped
public class BodyLimit {

    private final long max;

    BodyLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize max) {
        this.max = max.asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            long announced;
            try {
                announced = length == null ? -1 : Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                announced = -1;
            }
            if (announced > max) {
                String body = "{\"type\":\"urn:spendshift:problem:body-too-large\",\"title\":\"Body too large\",\"status\":413,"
                        + "\"detail\":\"The request body announces " + announced + " bytes; at most " + max + " are accepted\","
                        + "\"instance\":\"" + ctx.request().path().replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
                boolean http1 = ctx.request().version() != io.vertx.core.http.HttpVersion.HTTP_2;
                if (http1) {
                    ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
                }
                ctx.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json")
                        .end(body).onComplete(done -> {
                            if (http1) {
                                // the announced body is not wanted: drop the connection instead of reading it
                                ctx.request().connection().close();
                            }
                        });
                return;
            }
            ctx.next();
        });
    }
}
