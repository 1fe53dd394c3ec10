package io.spendshift.outbound;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Locale;
import java.util.Set;

/**
 * What kind of destination an address or a well-known host name is. Everything but {@link #PUBLIC} is refused
 * as an outbound destination unless {@code spendshift.outbound.allow} lists it.
 */
public enum AddressClass {
    PUBLIC("public"),
    LOOPBACK("loopback"),
    PRIVATE("private"),
    LINK_LOCAL("link-local"),
    METADATA("cloud metadata"),
    UNSPECIFIED("unspecified"),
    CGNAT("carrier-grade NAT"),
    MULTICAST("multicast"),
    BROADCAST("broadcast"),
    RESERVED("reserved");

    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "localhost.localdomain", "ip6-localhost",
            "ip6-loopback");
    private static final Set<String> METADATA_NAMES = Set.of("metadata.google.internal", "metadata.goog", "metadata",
            "instance-data", "instance-data.ec2.internal");

    private final String words;

    AddressClass(String words) {
        this.words = words;
    }

    /** How a message names it: "a loopback address". */
    public String words() {
        return words;
    }

    /** The class of a host name known without asking DNS (localhost, metadata names), or null for any other name. */
    public static AddressClass ofName(String host) {
        String h = normalize(host);
        if (LOOPBACK_NAMES.contains(h) || h.endsWith(".localhost")) {
            return LOOPBACK;
        }
        return METADATA_NAMES.contains(h) ? METADATA : null;
    }

    /** Lower case, without brackets around an IPv6 literal and without a trailing dot. */
    public static String normalize(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        while (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h;
    }

    /** The class of one address; IPv6 forms that embed an IPv4 address are judged by that address. */
    public static AddressClass of(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return ofIpv4(b, 0);
        }
        if (address instanceof Inet6Address) {
            return ofIpv6(b);
        }
        return RESERVED;
    }

    private static AddressClass ofIpv4(byte[] b, int o) {
        int a0 = b[o] & 0xff, a1 = b[o + 1] & 0xff, a2 = b[o + 2] & 0xff, a3 = b[o + 3] & 0xff;
        if (a0 == 169 && a1 == 254 && a2 == 169 && a3 == 254) {
            return METADATA;
        }
        if (a0 == 255 && a1 == 255 && a2 == 255 && a3 == 255) {
            return BROADCAST;
        }
        if (a0 == 0) {
            return UNSPECIFIED; // 0.0.0.0/8, "this network"
        }
        if (a0 == 127) {
            return LOOPBACK;
        }
        if (a0 == 10 || a0 == 172 && (a1 & 0xf0) == 16 || a0 == 192 && a1 == 168) {
            return PRIVATE;
        }
        if (a0 == 169 && a1 == 254) {
            return LINK_LOCAL;
        }
        if (a0 == 100 && (a1 & 0xc0) == 64) {
            return CGNAT;
        }
        if ((a0 & 0xf0) == 224) {
            return MULTICAST;
        }
        if ((a0 & 0xf0) == 240 || a0 == 192 && a1 == 0 && a2 == 0 || a0 == 198 && (a1 & 0xfe) == 18) {
            return RESERVED; // 240/4, IETF protocol assignments 192.0.0/24, benchmarking 198.18/15
        }
        return PUBLIC;
    }

    private static AddressClass ofIpv6(byte[] b) {
        if (b.length != 16) {
            return RESERVED;
        }
        // fd00:ec2::254, the IPv6 instance metadata address (inside fc00::/7, so test it first)
        if (b[0] == (byte) 0xfd && b[1] == 0 && b[2] == 0x0e && b[3] == (byte) 0xc2 && zero(b, 4, 14)
                && b[14] == 0x02 && b[15] == 0x54) {
            return METADATA;
        }
        if (zero(b, 0, 15)) {
            return b[15] == 0 ? UNSPECIFIED : b[15] == 1 ? LOOPBACK : ofIpv4(b, 12);
        }
        if (zero(b, 0, 10) && b[10] == (byte) 0xff && b[11] == (byte) 0xff) {
            return ofIpv4(b, 12); // IPv4-mapped ::ffff:a.b.c.d
        }
        if (zero(b, 0, 12)) {
            return ofIpv4(b, 12); // IPv4-compatible ::a.b.c.d (deprecated)
        }
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b && zero(b, 4, 12)) {
            return ofIpv4(b, 12); // NAT64 64:ff9b::/96
        }
        if (b[0] == 0x20 && b[1] == 0x02) {
            return ofIpv4(b, 2); // 6to4 2002::/16
        }
        if ((b[0] & 0xfe) == 0xfc) {
            return PRIVATE; // unique local fc00::/7
        }
        if (b[0] == (byte) 0xfe && (b[1] & 0xc0) == 0x80) {
            return LINK_LOCAL; // fe80::/10
        }
        if (b[0] == (byte) 0xfe && (b[1] & 0xc0) == 0xc0) {
            return PRIVATE; // site-local fec0::/10 (deprecated)
        }
        if (b[0] == (byte) 0xff) {
            return MULTICAST;
        }
        if (b[0] == 0x01 && b[1] == 0x00 && zero(b, 2, 8)) {
            return RESERVED; // discard-only 100::/64
        }
        return PUBLIC;
    }

    private static boolean zero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
