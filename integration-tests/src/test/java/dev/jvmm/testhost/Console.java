package dev.jvmm.testhost;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * L1's serial console as it arrives from the container: kept in memory (the last {@link #KEEP_CHARS}
 * characters, for markers and failure messages) and appended to a file in the run directory (all of it).
 */
final class Console {
    static final int KEEP_CHARS = 1 << 20;

    private final Path file;
    private final StringBuilder text = new StringBuilder();

    Console(Path file) {
        this.file = file;
    }

    synchronized void append(String chunk) {
        text.append(chunk);
        if (text.length() > KEEP_CHARS) {
            text.delete(0, text.length() - KEEP_CHARS);
        }
        try {
            Files.writeString(file, chunk, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the L1 console log " + file, e);
        }
        notifyAll();
    }

    synchronized boolean contains(String marker) {
        return text.indexOf(marker) >= 0;
    }

    /**
     * Waits until {@code marker} appears, {@code stillAlive} turns false, or {@code timeoutMillis}
     * pass; returns whether the marker appeared.
     */
    synchronized boolean await(String marker, long timeoutMillis, java.util.function.BooleanSupplier stillAlive)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        long nextAliveCheck = 0;
        while (text.indexOf(marker) < 0) {
            long now = System.nanoTime();
            if (now >= deadline) {
                return false;
            }
            if (now >= nextAliveCheck) {
                if (!stillAlive.getAsBoolean()) {
                    return text.indexOf(marker) >= 0;
                }
                nextAliveCheck = now + 2_000_000_000L;
            }
            wait(Math.max(1, Math.min(500, (deadline - now) / 1_000_000)));
        }
        return true;
    }

    synchronized String tail(int lines) {
        return Text.tail(text.toString(), lines);
    }

    Path file() {
        return file;
    }
}
