package io.spendshift.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The destinations an operator allows although they are not public ({@code spendshift.outbound.allow}): host
 * names (matched exactly, case-insensitive), IP addresses and CIDR ranges, e.g. {@code 127.0.0.1,10.20.0.0/16}.
 * Parsing never asks DNS: an entry is an address only when it is written as one.
 */
public final class AllowList {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern NAME = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,62})(\\.[a-z0-9_]([a-z0-9_-]{0,62}))*");

    /** An address range: the network's bytes and the prefix length. */
    record Cidr(byte[] network, int prefix) {
        boolean contains(InetAddress a) {
            byte[] b = a.getAddress();
            if (b.length != network.length) {
                return false;
            }
            int full = prefix / 8, rest = prefix % 8;
            for (int i = 0; i < full; i++) {
                if (b[i] != network[i]) {
                    return false;
                }
            }
            int mask = rest == 0 ? 0 : (0xff << (8 - rest)) & 0xff;
            return rest == 0 || (b[full] & mask) == (network[full] & mask);
        }
    }

    private final Set<String> names;
    private final List<Cidr> ranges;

    private AllowList(Set<String> names, List<Cidr> ranges) {
        this.names = names;
        this.ranges = ranges;
    }

    public static AllowList none() {
        return new AllowList(Set.of(), List.of());
    }

    /**
     * Parses the entries (blank ones are skipped); an entry that is neither a host name nor an IP address nor a
     * CIDR range is an {@link IllegalArgumentException} naming it, so a typo stops the start instead of
     * silently allowing nothing.
     */
    public static AllowList parse(List<String> entries) {
        Set<String> names = new HashSet<>();
        List<Cidr> ranges = new ArrayList<>();
        for (String raw : entries) {
            for (String entry : raw.split(",")) {
                String e = AddressClass.normalize(entry);
                if (e.isEmpty()) {
                    continue;
                }
                int slash = e.indexOf('/');
                String host = slash < 0 ? e : e.substring(0, slash);
                InetAddress literal = literal(host);
                if (literal == null) {
                    if (slash >= 0 || !NAME.matcher(e).matches() || IPV4.matcher(e).matches()) {
                        throw new IllegalArgumentException("spendshift.outbound.allow: '" + entry.trim()
                                + "' is not a host name, an IP address or a CIDR range");
                    }
                    names.add(e);
                    continue;
                }
                int bits = literal.getAddress().length * 8;
                int prefix = bits;
                if (slash >= 0) {
                    try {
                        prefix = Integer.parseInt(e.substring(slash + 1));
                    } catch (NumberFormatException x) {
                        prefix = -1;
                    }
                    if (prefix < 0 || prefix > bits) {
                        throw new IllegalArgumentException("spendshift.outbound.allow: '" + entry.trim()
                                + "' has a prefix length outside 0-" + bits);
                    }
                }
                ranges.add(new Cidr(literal.getAddress(), prefix));
            }
        }
        return new AllowList(Set.copyOf(names), List.copyOf(ranges));
    }

    /** An IP address written as one (dotted-quad IPv4 or IPv6), or null: never a DNS query. */
    static InetAddress literal(String host) {
        String h = AddressClass.normalize(host);
        try {
            if (IPV4.matcher(h).matches()) {
                String[] parts = h.split("\\.");
                byte[] b = new byte[4];
                for (int i = 0; i < 4; i++) {
                    int v = Integer.parseInt(parts[i]);
                    if (v > 255) {
                        return null;
                    }
                    b[i] = (byte) v;
                }
                return InetAddress.getByAddress(b);
            }
            // a text with a colon is only ever parsed as an IPv6 literal, never looked up
            return h.indexOf(':') >= 0 && h.matches("[0-9a-f:.]+") ? InetAddress.getByName(h) : null;
        } catch (UnknownHostException | RuntimeException e) {
            return null;
        }
    }

    /** True when the host name itself is listed. */
    public boolean allowsName(String host) {
        return names.contains(AddressClass.normalize(host));
    }

    /** True when the address is listed or inside a listed range. */
    public boolean allowsAddress(InetAddress address) {
        return ranges.stream().anyMatch(r -> r.contains(address));
    }

    public boolean isEmpty() {
        return names.isEmpty() && ranges.isEmpty();
    }
}
