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
    private final com.fasterxml.jackson.databind.ObjectMapper json;

    BodyLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize max,
              com.fasterxml.jackson.databind.ObjectMapper json) {
        this.max = max.asLongValue();
        this.json = json;
    }

    void install(@Observes Router router) {
        // right after SecurityHeaders, whose headers the 413 answer carries too
        router.route().order(Integer.MIN_VALUE + 1).handler(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            long announced;
            try {
                announced = length == null ? -1 : Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                announced = -1;
            }
            if (announced > max) {
                String body;
                try {
                    body = json.writeValueAsString(Problem.of(413, "Body too large", "The request body announces "
                            + announced + " bytes; at most " + max + " are accepted", ctx.request().path()));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
                boolean http1 = ctx.request().version() != io.vertx.core.http.HttpVersion.HTTP_2;
                if (http1) {
                    ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
                }
                ctx.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
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
