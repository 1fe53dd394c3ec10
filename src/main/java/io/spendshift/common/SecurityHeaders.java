package io.spendshift.common;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Security headers on every answer of the HTTP router: API answers, problem documents (401, 404, 413...),
 * health and metrics, and the console's static files. They are set when the headers are written, so whoever
 * ends the response (a resource, an exception mapper, the static handler, the router's own 404) gets them.
 * The console runs no inline script or style, so its policy allows scripts and styles from the service itself
 * only; Swagger UI's generated page has inline scripts and styles and gets them allowed there alone.
 */
@ApplicationScoped
public class SecurityHeaders {

    public static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    static final String SWAGGER_UI = "/q/swagger-ui";
    static final String SWAGGER_CSP = CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
            .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");

    void install(@Observes Router router) {
        // first of all routes (BodyLimit comes right after), so even an early 413 carries the headers
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            boolean swagger = ctx.request().path() != null && ctx.request().path().startsWith(SWAGGER_UI);
            ctx.addHeadersEndHandler(done -> {
                MultiMap h = ctx.response().headers();
                h.set("Content-Security-Policy", swagger ? SWAGGER_CSP : CSP);
                h.set("X-Content-Type-Options", "nosniff");
                h.set("X-Frame-Options", "DENY");
                h.set("Referrer-Policy", "no-referrer");
            });
            ctx.next();
        });
    }
}
