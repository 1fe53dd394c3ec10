package io.spendshift.metrics;

import java.io.IOException;
import java.io.Reader;

/** Two readers one after the other. */
final class ConcatenatedReader extends Reader {
    private Reader current;
    private final Reader next;

    ConcatenatedReader(Reader first, Reader next) {
        this.current = first;
        this.next = next;
    }

    @Override
    public int read(char[] buf, int off, int len) throws IOException {
        int n = current.read(buf, off, len);
        if (n < 0 && current != next) {
            current = next;
            return next.read(buf, off, len);
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        next.close();
    }
}
