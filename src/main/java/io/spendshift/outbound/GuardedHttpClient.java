package io.spendshift.outbound;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * An {@link HttpClient} that asks the {@link OutboundPolicy} before every request, including each redirect it
 * follows. It never lets the JDK follow redirects: it follows at most {@link #MAX_REDIRECTS} redirects to the
 * same origin itself (any method for 307 and 308, GET and HEAD for the others) and refuses a redirect to
 * another origin, so headers such as {@code Authorization} never reach another server.
 *
 * <p>DNS rebinding: the check resolves the host and refuses the call if any address is forbidden. The JDK
 * client then resolves the host again to connect; that lookup is answered from the JVM's address cache the
 * check has just filled ({@code networkaddress.cache.ttl}, 30 s by default), so it gets the checked addresses.
 * The residual window is a cache entry expiring between the check and the connect (milliseconds), or an
 * operator setting the cache time to 0.
 */
public final class GuardedHttpClient {

    public static final int MAX_REDIRECTS = 3;

    private final OutboundPolicy policy;
    private final HttpClient client;

    public GuardedHttpClient(OutboundPolicy policy, Duration connectTimeout) {
        this.policy = policy;
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * Sends the request (and same-origin redirects) and returns the final answer. A redirect that is not
     * followed (no Location, or a 301-303 to a request that is not a GET) is returned as it is.
     *
     * @throws OutboundRefusedException the policy refused the destination or a redirect; nothing was sent there
     */
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        HttpRequest current = request;
        for (int redirects = 0; ; redirects++) {
            policy.check(current.uri());
            boolean safe = current.method().equals("GET") || current.method().equals("HEAD");
            HttpResponse<T> res = client.send(current, info -> follows(info.statusCode(), safe, info.headers())
                    ? HttpResponse.BodySubscribers.replacing(null) : handler.apply(info));
            if (!follows(res.statusCode(), safe, res.headers())) {
                return res;
            }
            URI next;
            try {
                next = current.uri().resolve(res.headers().firstValue("Location").orElseThrow());
            } catch (IllegalArgumentException e) {
                throw new OutboundRefusedException("redirect to an invalid location");
            }
            if (!OutboundPolicy.sameOrigin(current.uri(), next)) {
                throw new OutboundRefusedException("redirect to another origin");
            }
            if (redirects == MAX_REDIRECTS) {
                throw new OutboundRefusedException("more than " + MAX_REDIRECTS + " redirects");
            }
            current = HttpRequest.newBuilder(current, (name, value) -> true).uri(next).build();
        }
    }

    /** A network failure in our words: the exception's own message may quote the other side. */
    public static String describe(IOException e) {
        if (e instanceof java.net.http.HttpTimeoutException) {
            return "timed out";
        }
        if (e instanceof java.net.UnknownHostException) {
            return "network error: host not found";
        }
        if (e instanceof java.net.ConnectException) {
            return "network error: connection refused";
        }
        if (e instanceof javax.net.ssl.SSLException) {
            return "network error: TLS failed";
        }
        return "network error";
    }

    /** A redirect this client follows (subject to the origin check): 307/308 for any method, 301-303 for GET. */
    private static boolean follows(int status, boolean safe, java.net.http.HttpHeaders headers) {
        boolean redirect = status == 307 || status == 308 || safe && (status == 301 || status == 302 || status == 303);
        return redirect && headers.firstValue("Location").isPresent();
    }

}
