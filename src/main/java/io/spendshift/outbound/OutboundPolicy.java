package io.spendshift.outbound;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Which URLs the service may call: http(s) only, https unless in demo mode or the host is allowed, no
 * credentials in the URL, and no loopback, private, link-local, metadata, unspecified, CGNAT, multicast,
 * broadcast or reserved destination unless {@link AllowList} lists it. Plain Java, so every address class is
 * tested without the service.
 *
 * <p>Two checks: {@link #problem(String)} when a URL is saved (for the 400 answer) and {@link #check(URI)}
 * immediately before every request, on the addresses the host resolves to then (DNS may have changed since).
 */
public final class OutboundPolicy {

    /** Resolves a host name to its addresses (the JVM's resolver in the service, a table in tests). */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final AllowList allow;
    private final boolean requireHttps;
    private final Resolver resolver;

    public OutboundPolicy(AllowList allow, boolean requireHttps, Resolver resolver) {
        this.allow = allow;
        this.requireHttps = requireHttps;
        this.resolver = resolver;
    }

    /**
     * What is wrong with a URL about to be saved, phrased for {@code errors[].message}, or null when it may be
     * saved. A host name that does not resolve (yet) is accepted: it is checked again before each call.
     */
    public String problem(String url) {
        URI u = parse(url);
        if (u == null) {
            return "must be an absolute http or https URL";
        }
        if (u.getRawUserInfo() != null) {
            return "must not carry credentials (user:password@); use the bearer token or secret field";
        }
        if (needsHttps(u)) {
            return "must use https (plain http only in demo mode or to a host listed in spendshift.outbound.allow)";
        }
        try {
            AddressClass c = forbidden(u.getHost());
            return c == null ? null : "must not point to " + article(c) + " " + c.words()
                    + " address unless it is listed in spendshift.outbound.allow";
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /**
     * Checks a URL about to be called and returns the addresses its host resolves to now, every one of them
     * allowed. Throws {@link OutboundRefusedException} when the call must not happen, and
     * {@link UnknownHostException} when the host does not resolve (a network failure, not a refusal).
     */
    public InetAddress[] check(URI uri) throws UnknownHostException {
        URI u = parse(uri.toString());
        if (u == null) {
            throw new OutboundRefusedException("not an absolute http or https URL");
        }
        if (u.getRawUserInfo() != null) {
            throw new OutboundRefusedException("credentials in the URL");
        }
        if (needsHttps(u)) {
            throw new OutboundRefusedException("https required");
        }
        String host = u.getHost();
        boolean listed = allow.allowsName(host);
        AddressClass named = listed ? null : AddressClass.ofName(host);
        if (named != null) {
            throw refused(named);
        }
        // resolved once: the addresses checked are the ones returned
        InetAddress[] addresses = addresses(host);
        AddressClass c = listed ? null : firstForbidden(addresses);
        if (c != null) {
            throw refused(c);
        }
        return addresses;
    }

    private static OutboundRefusedException refused(AddressClass c) {
        return new OutboundRefusedException("destination not allowed (" + c.words() + " address)");
    }

    /** True when both URLs have the same scheme, host and port (the port a scheme implies counts). */
    public static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null
                && b.getHost() != null && AddressClass.normalize(a.getHost()).equals(AddressClass.normalize(b.getHost()))
                && port(a) == port(b);
    }

    /** The class that forbids this host, or null when it may be called. */
    private AddressClass forbidden(String host) throws UnknownHostException {
        if (allow.allowsName(host)) {
            return null;
        }
        AddressClass named = AddressClass.ofName(host);
        if (named != null) {
            return named;
        }
        return firstForbidden(addresses(host));
    }

    private InetAddress[] addresses(String host) throws UnknownHostException {
        InetAddress literal = AllowList.literal(host);
        return literal != null ? new InetAddress[]{literal} : resolver.resolve(AddressClass.normalize(host));
    }

    /** The class of the first address that is neither public nor allowed, or null. */
    private AddressClass firstForbidden(InetAddress[] addresses) {
        for (InetAddress a : addresses) {
            AddressClass c = AddressClass.of(a);
            if (c != AddressClass.PUBLIC && !allow.allowsAddress(a)) {
                return c;
            }
        }
        return null;
    }

    private boolean needsHttps(URI u) {
        if (!requireHttps || "https".equalsIgnoreCase(u.getScheme())) {
            return false;
        }
        InetAddress literal = AllowList.literal(u.getHost());
        return !allow.allowsName(u.getHost()) && (literal == null || !allow.allowsAddress(literal));
    }

    private static URI parse(String url) {
        if (url == null) {
            return null;
        }
        try {
            URI u = new URI(url);
            String scheme = u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
            if (!u.isAbsolute() || !("http".equals(scheme) || "https".equals(scheme)) || u.getHost() == null
                    || u.getHost().isBlank()) {
                return null;
            }
            return u;
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    private static int port(URI u) {
        if (u.getPort() >= 0) {
            return u.getPort();
        }
        return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    private static String article(AddressClass c) {
        return switch (c) {
            case UNSPECIFIED -> "an";
            default -> "a";
        };
    }
}
