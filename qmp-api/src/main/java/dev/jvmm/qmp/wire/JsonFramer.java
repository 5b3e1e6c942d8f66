package dev.jvmm.qmp.wire;

import java.util.Arrays;

/**
 * Cuts a QMP input byte stream into messages, the way QEMU's {@code json-streamer.c} does: it counts
 * braces and brackets outside strings, and a message is complete when both counts are back at zero (or one
 * went negative, which the parser then reports). Reads may split a message anywhere and may carry several
 * messages; no separator or trailing newline is needed.
 *
 * <p>The framer is not a JSON parser: it only finds message boundaries, and {@link JsonMessageReader}
 * judges each complete message. What it does itself:
 * <ul>
 *   <li>A top-level scalar is a message of its own: a string ends at its closing quote, a number or
 *       keyword (a token starting with {@code -}, a digit or a lower-case letter, continuing with letters,
 *       digits, {@code . + -}) at the first byte that cannot continue it. A lone {@code }} {@code ]}
 *       {@code ,} or {@code :} at top level is reported at once as "expecting value".</li>
 *   <li>A byte that cannot start any JSON token ({@code @}, a non-ASCII byte, ...) is reported at once as
 *       {@code stray}, and, as in QEMU's lexer, the bytes after it are skipped until a brace, a bracket,
 *       CR, LF or another control character, so a line of garbage costs one error.</li>
 *   <li>Strings may be double- or single-quoted (QEMU's extension); a backslash escapes the next byte.</li>
 *   <li>A byte that can never appear in a QMP message, an ASCII control character other than tab, CR and
 *       LF outside strings, any control character inside a string, or {@code 0xFE}/{@code 0xFF}, throws
 *       away the partial message and is reported as {@code stray} (then skipping as above). This is QMP's
 *       documented way for a client to get the parser back to a clean state (section 6 of QMP-FACTS): one
 *       error, then the next command works.</li>
 *   <li>A message longer than {@code maxMessageBytes}, or nested deeper than {@code maxDepth}, is
 *       reported once, as soon as the limit is crossed; the rest of that message is then skipped (still
 *       counting braces, never buffering), so memory stays bounded and the connection stays usable.</li>
 * </ul>
 * One instance serves one connection and is not thread-safe.
 */
public final class JsonFramer {

    /** QEMU's nesting limit ({@code MAX_NESTING} in json-streamer.c). */
    public static final int DEFAULT_MAX_DEPTH = 1024;

    /** Receives what the framer finds, in stream order. */
    public interface Listener {
        /** A complete message in {@code bytes[0, length)}; the array is reused after this returns. */
        void onMessage(byte[] bytes, int length);

        /** A framing error, already worded as the QMP error {@code desc}. */
        void onError(String description);
    }

    /** RECOVERY: skipping after a stray byte, until a resynchronisation point. */
    private enum Mode { IDLE, STRUCTURE, STRING, BARE, RECOVERY }

    private static final int INITIAL_CAPACITY = 256;
    private static final int RETAINED_CAPACITY = 64 * 1024;

    private final int maxMessageBytes;
    private final int maxDepth;
    private byte[] buffer = new byte[INITIAL_CAPACITY];
    private int length;
    private Mode mode = Mode.IDLE;
    private int braces;
    private int brackets;
    /** The open quote character while inside a string, else 0. */
    private byte quote;
    private boolean escaped;
    /** True after a limit error: keep framing the message but drop its bytes. */
    private boolean skipping;

    public JsonFramer(int maxMessageBytes, int maxDepth) {
        if (maxMessageBytes < 1 || maxDepth < 1) {
            throw new IllegalArgumentException("limits must be positive: maxMessageBytes=" + maxMessageBytes
                    + ", maxDepth=" + maxDepth);
        }
        this.maxMessageBytes = maxMessageBytes;
        this.maxDepth = maxDepth;
    }

    /** Feeds {@code data[offset, offset+count)} and reports every message or error it completes. */
    public void feed(byte[] data, int offset, int count, Listener listener) {
        int end = offset + count;
        for (int i = offset; i < end; i++) {
            byte b = data[i];
            if (!accept(b, listener)) {
                // A bare token ended at this byte without consuming it: look at it again at top level.
                i--;
            }
        }
    }

    /** True while part of a message has been read and not yet completed. */
    public boolean inMessage() {
        return mode != Mode.IDLE;
    }

    /** Returns false when {@code b} was not consumed and must be fed again. */
    private boolean accept(byte b, Listener listener) {
        int u = b & 0xFF;
        boolean inString = quote != 0;
        if (u == 0xFE || u == 0xFF || (u < 0x20 && (inString || !isWhitespace(u)))) {
            stray(u, listener);
            return true;
        }
        switch (mode) {
            case IDLE -> startMessage(b, listener);
            case RECOVERY -> {
                if (u == '{' || u == '}' || u == '[' || u == ']' || u == '\r' || u == '\n') {
                    mode = Mode.IDLE;
                    return false;
                }
            }
            case BARE -> {
                if (!continuesToken(u)) {
                    complete(listener);
                    return false;
                }
                append(b, listener);
            }
            case STRING -> {
                append(b, listener);
                if (stringByte(b)) {
                    complete(listener);
                }
            }
            case STRUCTURE -> structureByte(b, listener);
        }
        return true;
    }

    private void startMessage(byte b, Listener listener) {
        int u = b & 0xFF;
        if (isWhitespace(u)) {
            return;
        }
        switch (u) {
            case '{', '[' -> {
                mode = Mode.STRUCTURE;
                structureByte(b, listener);
            }
            case '"', '\'' -> {
                mode = Mode.STRING;
                quote = b;
                append(b, listener);
            }
            case '}', ']', ',', ':' -> listener.onError("JSON parse error, expecting value");
            default -> {
                if (startsToken(u)) {
                    mode = Mode.BARE;
                    append(b, listener);
                } else {
                    stray(u, listener);
                }
            }
        }
    }

    /** Reports a byte no message may contain here, drops any partial message and starts skipping. */
    private void stray(int u, Listener listener) {
        reset();
        shrink();
        mode = Mode.RECOVERY;
        char shown = u < 0x80 ? (char) u : '\uFFFD';
        listener.onError("JSON parse error, stray '" + shown + "'");
    }

    private void structureByte(byte b, Listener listener) {
        append(b, listener);
        if (quote != 0) {
            stringByte(b);
            return;
        }
        switch (b) {
            case '"', '\'' -> quote = b;
            case '{' -> braces++;
            case '[' -> brackets++;
            case '}' -> braces--;
            case ']' -> brackets--;
            default -> {
                return;
            }
        }
        if (braces + brackets > maxDepth && !skipping) {
            listener.onError("JSON nesting depth limit exceeded: more than " + maxDepth + " levels");
            startSkipping();
        }
        boolean open = (braces > 0 || brackets > 0) && braces >= 0 && brackets >= 0;
        if (!open) {
            complete(listener);
        }
    }

    /** Tracks one byte inside a string; returns true when it closed the string. */
    private boolean stringByte(byte b) {
        if (escaped) {
            escaped = false;
        } else if (b == '\\') {
            escaped = true;
        } else if (b == quote) {
            quote = 0;
            return true;
        }
        return false;
    }

    private void append(byte b, Listener listener) {
        if (skipping) {
            return;
        }
        if (length == maxMessageBytes) {
            listener.onError("Message too large: a QMP message may hold at most " + maxMessageBytes
                    + " bytes; the rest of this one is skipped");
            startSkipping();
            return;
        }
        if (length == buffer.length) {
            buffer = Arrays.copyOf(buffer, (int) Math.min((long) buffer.length * 2, maxMessageBytes));
        }
        buffer[length++] = b;
    }

    private void startSkipping() {
        skipping = true;
        length = 0;
        shrink();
    }

    private void complete(Listener listener) {
        boolean deliver = !skipping;
        int n = length;
        reset();
        if (deliver) {
            listener.onMessage(buffer, n);
        }
        shrink();
    }

    private void reset() {
        mode = Mode.IDLE;
        braces = 0;
        brackets = 0;
        quote = 0;
        escaped = false;
        skipping = false;
        length = 0;
    }

    /** Called before the buffer is reused, so one large message does not pin its buffer for good. */
    private void shrink() {
        if (buffer.length > RETAINED_CAPACITY) {
            buffer = new byte[INITIAL_CAPACITY];
        }
    }

    private static boolean isWhitespace(int u) {
        return u == ' ' || u == '\t' || u == '\r' || u == '\n';
    }

    /** A number or keyword ({@code true}, {@code false}, {@code null}) starts with one of these. */
    private static boolean startsToken(int u) {
        return u == '-' || (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z');
    }

    private static boolean continuesToken(int u) {
        return u == '-' || u == '+' || u == '.' || (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z')
                || (u >= 'A' && u <= 'Z');
    }
}
