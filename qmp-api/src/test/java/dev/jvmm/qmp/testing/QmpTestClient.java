package dev.jvmm.qmp.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * A plain QMP client over a {@link SocketChannel}, for tests and benchmarks. It works against any QMP
 * socket, ours or QEMU's: it writes raw bytes and reads CRLF/LF-terminated lines, with a timeout on every
 * wait. Events met while waiting for a reply are kept in {@link #events()}.
 */
public final class QmpTestClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final SocketChannel channel;
    private final Selector selector;
    private final ByteBuffer in = ByteBuffer.allocate(256 * 1024);
    /** Received bytes not yet returned as lines: {@code pending[start, end)}. */
    private byte[] pending = new byte[64 * 1024];
    private int start;
    private int end;
    private final List<JsonNode> events = new ArrayList<>();
    private int scanned;

    private QmpTestClient(SocketChannel channel) throws IOException {
        this.channel = channel;
        channel.configureBlocking(false);
        this.selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
    }

    public static QmpTestClient connect(Path unixSocket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(unixSocket));
        return new QmpTestClient(ch);
    }

    public static QmpTestClient connect(String host, int port) throws IOException {
        SocketChannel ch = SocketChannel.open();
        ch.connect(new InetSocketAddress(host, port));
        return new QmpTestClient(ch);
    }

    public static QmpTestClient connect(SocketAddress address) throws IOException {
        return address instanceof UnixDomainSocketAddress u ? connect(u.getPath())
                : connect(((InetSocketAddress) address).getHostString(), ((InetSocketAddress) address).getPort());
    }

    public void write(String text) throws IOException {
        write(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes every byte, waiting for the socket to drain when needed. */
    public void write(byte[] bytes) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(bytes);
        long deadline = System.nanoTime() + DEFAULT_TIMEOUT.toNanos();
        while (out.hasRemaining()) {
            if (channel.write(out) == 0) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("server did not read our input within " + DEFAULT_TIMEOUT);
                }
                Thread.onSpinWait();
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
        }
    }

    /** The next line including its terminator; throws {@link EOFException} at end of stream. */
    public byte[] readRawLine(Duration timeout) throws IOException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            byte[] line = takeLine();
            if (line != null) {
                return line;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("no complete line from the server within " + timeout
                        + "; have " + (end - start) + " bytes of a partial line");
            }
            selector.select(Math.max(1, left / 1_000_000));
            selector.selectedKeys().clear();
            in.clear();
            int n = channel.read(in);
            if (n < 0) {
                throw new EOFException("server closed the connection");
            }
            append(n);
        }
    }

    private void append(int n) {
        if (end + n > pending.length) {
            int live = end - start;
            byte[] target = live + n > pending.length ? new byte[Math.max(pending.length * 2, live + n)] : pending;
            System.arraycopy(pending, start, target, 0, live);
            pending = target;
            scanned -= start;
            start = 0;
            end = live;
        }
        System.arraycopy(in.array(), 0, pending, end, n);
        end += n;
    }

    private byte[] takeLine() {
        for (int i = Math.max(scanned, start); i < end; i++) {
            if (pending[i] == '\n') {
                byte[] line = java.util.Arrays.copyOfRange(pending, start, i + 1);
                start = i + 1;
                scanned = start;
                return line;
            }
        }
        scanned = end;
        return null;
    }

    /** The next message, whatever it is. */
    public JsonNode readMessage(Duration timeout) throws IOException, TimeoutException {
        return JSON.readTree(readRawLine(timeout));
    }

    public JsonNode readMessage() throws IOException, TimeoutException {
        return readMessage(DEFAULT_TIMEOUT);
    }

    /** The next message that is not an event; events on the way go to {@link #events()}. */
    public JsonNode readReply() throws IOException, TimeoutException {
        while (true) {
            JsonNode m = readMessage();
            if (!m.has("event")) {
                return m;
            }
            events.add(m);
        }
    }

    /** Reads the greeting, negotiates, and returns the greeting. */
    public JsonNode negotiate() throws IOException, TimeoutException {
        JsonNode greeting = readMessage();
        if (!greeting.has("QMP")) {
            throw new IOException("expected a greeting, got " + greeting);
        }
        write("{\"execute\":\"qmp_capabilities\"}");
        JsonNode reply = readReply();
        if (!reply.has("return")) {
            throw new IOException("qmp_capabilities failed: " + reply);
        }
        return greeting;
    }

    /** Sends {@code {"execute": name, "id": id}} and returns the reply. */
    public JsonNode execute(String name, String id) throws IOException, TimeoutException {
        write("{\"execute\":\"" + name + "\",\"id\":\"" + id + "\"}");
        return readReply();
    }

    public List<JsonNode> events() {
        return events;
    }

    /** Waits for the server to close the connection; false if it is still open after {@code timeout}. */
    public boolean awaitClose(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            selector.select(50);
            selector.selectedKeys().clear();
            in.clear();
            int n;
            try {
                n = channel.read(in);
            } catch (IOException reset) {
                return true;
            }
            if (n < 0) {
                return true;
            }
            append(n);
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        selector.close();
        channel.close();
    }
}
