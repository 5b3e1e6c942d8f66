package dev.jvmm.testhost;

import java.util.Arrays;
import java.util.regex.Pattern;

/** Console text helpers: terminal escapes out, last lines for failure messages. */
final class Text {
    /**
     * ANSI CSI sequences, the full reset SeaBIOS sends, other control characters but newline/tab, and
     * bytes that are no UTF-8 (read as U+FFFD), such as the 0xFF Linux's 8250 IRQ probe sends to the line.
     */
    private static final Pattern NOISE =
            Pattern.compile("\u001b\\[[0-9;?]*[ -/]*[@-~]|\u001b[@-Z\\\\-_c]|[\\x00-\\x08\\x0b-\\x1f\\x7f\\ufffd]");

    private Text() {}

    static String clean(String text) {
        return NOISE.matcher(text.replace("\r\n", "\n")).replaceAll("");
    }

    /** The last {@code lines} lines of {@code text}, cleaned, or a note that there were none. */
    static String tail(String text, int lines) {
        String[] all = clean(text).strip().split("\n", -1);
        if (all.length == 1 && all[0].isEmpty()) {
            return "(empty)";
        }
        int from = Math.max(0, all.length - lines);
        String head = from > 0 ? "... (" + from + " earlier lines)\n" : "";
        return head + String.join("\n", Arrays.copyOfRange(all, from, all.length));
    }
}
