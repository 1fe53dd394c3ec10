package io.spendshift.policy;

/** What {@link Cap} and {@link Floor} share. */
final class ShareLimit {

    private ShareLimit() {
    }

    static String scope(String channel, String tag) {
        return channel != null ? channel : tag == null ? "?" : "tag:" + tag;
    }
}
