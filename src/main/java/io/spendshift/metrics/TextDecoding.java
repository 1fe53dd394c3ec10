package io.spendshift.metrics;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Reads uploaded text the way spreadsheet programs and ad platforms write it: UTF-8 by default, and a leading
 * byte-order mark both names the encoding (UTF-8, UTF-16LE or UTF-16BE, as some platforms' "Excel" CSV) and is
 * not part of the text.
 */
final class TextDecoding {

    private TextDecoding() {
    }

    static Reader reader(InputStream in) {
        BufferedInputStream b = new BufferedInputStream(in, 8192);
        try {
            b.mark(3);
            int b0 = b.read();
            int b1 = b.read();
            int b2 = b.read();
            Charset cs = StandardCharsets.UTF_8;
            int skip = 0;
            if (b0 == 0xEF && b1 == 0xBB && b2 == 0xBF) {
                skip = 3;
            } else if (b0 == 0xFF && b1 == 0xFE) {
                cs = StandardCharsets.UTF_16LE;
                skip = 2;
            } else if (b0 == 0xFE && b1 == 0xFF) {
                cs = StandardCharsets.UTF_16BE;
                skip = 2;
            }
            b.reset();
            for (int i = 0; i < skip; i++) {
                b.read();
            }
            return new InputStreamReader(b, cs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The whole text; a body is bounded by the request size limit. */
    static String readAll(InputStream in) {
        try (Reader r = reader(in)) {
            StringBuilder sb = new StringBuilder(8192);
            char[] buf = new char[8192];
            for (int n; (n = r.read(buf)) > 0; ) {
                sb.append(buf, 0, n);
            }
            return sb.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
