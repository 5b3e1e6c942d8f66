package dev.jvmm.qmp.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jvmm.qmp.QmpServerOptions;
import dev.jvmm.qmp.commands.EventEncoder;
import dev.jvmm.qmp.commands.StandardCommands;
import dev.jvmm.qmp.dispatch.QmpProtocol;
import dev.jvmm.qmp.dispatch.QmpSession;
import dev.jvmm.qmp.wire.JsonLineWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One {@link QmpSession} on a single-thread "event loop" executor with a {@link FakeVm}, driven by feeding
 * bytes: no socket anywhere. Every line the session writes is checked to be ASCII and to end in CRLF
 * with no other line break, then parsed.
 */
public final class SessionHarness implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    public final FakeVm vm;
    private final ExecutorService loop = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-loop"));
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final AtomicBoolean closedByServer = new AtomicBoolean();
    private final QmpSession session;

    public SessionHarness(FakeVm vm, int maxMessageBytes) {
        this.vm = vm;
        QmpServerOptions options = QmpServerOptions.unixSocket(Path.of("/unused")).withMaxMessageBytes(maxMessageBytes);
        QmpProtocol protocol = StandardCommands.protocol(vm, options);
        QmpSession.Output output = new QmpSession.Output() {
            @Override
            public void send(byte[] line) {
                lines.add(checkedLine(line));
            }

            @Override
            public void close() {
                closedByServer.set(true);
            }
        };
        this.session = onLoop(() -> protocol.newSession(loop::execute, output));
        vm.events().subscribe(e -> {
            byte[] line = JsonLineWriter.line(EventEncoder.encode(e));
            loop.execute(() -> session.deliverEvent(line));
        });
        onLoop(() -> {
            session.open();
            return null;
        });
    }

    public SessionHarness(FakeVm vm) {
        this(vm, QmpServerOptions.DEFAULT_MAX_MESSAGE_BYTES);
    }

    /** A harness that has read the greeting and negotiated capabilities. */
    public static SessionHarness negotiated(FakeVm vm) {
        SessionHarness h = new SessionHarness(vm);
        assertNotNull(h.next().get("QMP"), "greeting first");
        h.send("{\"execute\":\"qmp_capabilities\"}");
        assertEquals(JSON.createObjectNode(), h.next().get("return"));
        return h;
    }

    public void send(String text) {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    public void send(byte[] bytes) {
        onLoop(() -> {
            session.receive(bytes, 0, bytes.length);
            return null;
        });
    }

    /** The next line the session wrote, parsed; fails after 5 s. */
    public JsonNode next() {
        try {
            String line = lines.poll(5, TimeUnit.SECONDS);
            assertNotNull(line, "expected a message from the server within 5 s");
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The next line that is not an event. */
    public JsonNode nextReply() {
        JsonNode m;
        do {
            m = next();
        } while (m.has("event"));
        return m;
    }

    /** Asserts the session writes nothing more within {@code millis}. */
    public void assertSilent(long millis) {
        try {
            String line = lines.poll(millis, TimeUnit.MILLISECONDS);
            assertNull(line, "unexpected message " + line);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    public boolean closedByServer() {
        return closedByServer.get();
    }

    public int backlog() {
        return onLoop(session::backlog);
    }

    private <T> T onLoop(java.util.concurrent.Callable<T> task) {
        try {
            return loop.submit(task).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Checks the output framing rules and returns the line without its CRLF. */
    public static String checkedLine(byte[] line) {
        int n = line.length;
        assertTrue(n >= 2 && line[n - 2] == '\r' && line[n - 1] == '\n', "line must end in CRLF");
        for (int i = 0; i < n - 2; i++) {
            int b = line[i] & 0xFF;
            assertTrue(b >= 0x20 && b < 0x7F, "output byte " + i + " is 0x" + Integer.toHexString(b)
                    + "; QMP output must be printable ASCII on one line");
        }
        return new String(line, 0, n - 2, StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        loop.shutdownNow();
        vm.close();
    }
}
