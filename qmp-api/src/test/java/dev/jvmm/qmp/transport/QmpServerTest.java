package dev.jvmm.qmp.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jvmm.qmp.QmpEndpoint;
import dev.jvmm.qmp.QmpServerOptions;
import dev.jvmm.qmp.RunState;
import dev.jvmm.qmp.testing.FakeVm;
import dev.jvmm.qmp.testing.QmpTestClient;
import dev.jvmm.qmp.testing.SessionHarness;
import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server over a real UNIX socket, with java.nio clients. */
class QmpServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final FakeVm vm = new FakeVm(RunState.RUNNING);
    private QmpServer server;

    private QmpServer start(QmpServerOptions options) throws IOException {
        server = QmpServer.start(options, vm);
        return server;
    }

    private QmpServer start() throws IOException {
        return start(QmpServerOptions.unixSocket(dir.resolve("qmp.sock")));
    }

    private Path socket() {
        return ((QmpEndpoint.UnixSocket) server.endpoint()).path();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        vm.close();
    }

    private static JsonNode json(String text) throws IOException {
        return JSON.readTree(text);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void greetingNegotiationAndCommandsWithCrlfAsciiLines() throws Exception {
        start();
        try (QmpTestClient c = QmpTestClient.connect(socket())) {
            String greeting = SessionHarness.checkedLine(c.readRawLine(QmpTestClient.DEFAULT_TIMEOUT));
            assertEquals("{\"QMP\":{\"version\":{\"qemu\":{\"micro\":0,\"minor\":2,\"major\":7},\"package\":\"jvmm\"},"
                    + "\"capabilities\":[]}}", greeting);
            c.write("{\"execute\":\"query-status\",\"id\":0}");
            assertEquals("CommandNotFound", c.readReply().path("error").path("class").asText());
            c.write("{\"execute\":\"qmp_capabilities\"}");
            assertEquals(json("{\"return\":{}}"), c.readReply());
            c.write("{\"execute\":\"query-status\",\"id\":\"\u00fc\u2713\"}");
            String line = SessionHarness.checkedLine(c.readRawLine(QmpTestClient.DEFAULT_TIMEOUT));
            assertEquals("{\"return\":{\"running\":true,\"status\":\"running\"},\"id\":\"\\u00FC\\u2713\"}", line);
        }
    }

    @Test
    void socketIsOwnerOnlyAndRemovedOnClose() throws Exception {
        start();
        Path path = socket();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
        assertTrue(UnixSocketFile.isSocket(path));
        server.close();
        assertFalse(Files.exists(path));
    }

    @Test
    void staleSocketIsReplacedButNothingElseIs() throws Exception {
        Path path = dir.resolve("qmp.sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(path));
        }
        assertTrue(Files.exists(path), "a closed listener leaves its socket file behind");
        start();
        try (QmpTestClient c = QmpTestClient.connect(path)) {
            c.negotiate();
        }
        IOException busy = assertThrows(IOException.class,
                () -> QmpServer.start(QmpServerOptions.unixSocket(path), vm));
        assertTrue(busy.getMessage().contains("another server is listening on it"), busy.getMessage());

        Path file = dir.resolve("not-a-socket");
        Files.writeString(file, "keep me");
        IOException inTheWay = assertThrows(IOException.class,
                () -> QmpServer.start(QmpServerOptions.unixSocket(file), vm));
        assertTrue(inTheWay.getMessage().contains("not a socket is in the way"), inTheWay.getMessage());
        assertEquals("keep me", Files.readString(file));

        IOException noDir = assertThrows(IOException.class,
                () -> QmpServer.start(QmpServerOptions.unixSocket(dir.resolve("missing/qmp.sock")), vm));
        assertTrue(noDir.getMessage().contains("does not exist"), noDir.getMessage());
    }

    @Test
    void severalClientsNegotiateIndependentlyAndEventsGoToNegotiatedClientsOnly() throws Exception {
        start();
        try (QmpTestClient a = QmpTestClient.connect(socket());
                QmpTestClient b = QmpTestClient.connect(socket());
                QmpTestClient c = QmpTestClient.connect(socket())) {
            a.negotiate();
            b.negotiate();
            assertTrue(c.readMessage().has("QMP"));
            await(() -> server.clientCount() == 3, "three clients are connected");

            a.write("{\"execute\":\"stop\",\"id\":\"a1\"}");
            assertEquals(json("{\"return\":{},\"id\":\"a1\"}"), a.readReply());
            assertEquals(List.of("STOP"), a.events().stream().map(e -> e.get("event").asText()).toList());
            JsonNode bEvent = b.readMessage();
            assertEquals("STOP", bEvent.get("event").asText());
            assertTrue(bEvent.get("timestamp").get("microseconds").asLong() < 1_000_000);

            // c never negotiated: the STOP was dropped for it, not queued.
            c.write("{\"execute\":\"qmp_capabilities\",\"id\":\"c1\"}");
            assertEquals(json("{\"return\":{},\"id\":\"c1\"}"), c.readMessage());
            b.write("{\"execute\":\"cont\",\"id\":\"b1\"}");
            assertEquals(json("{\"return\":{},\"id\":\"b1\"}"), b.readReply());
            assertEquals("RESUME", a.readMessage().get("event").asText());
            assertEquals("RESUME", c.readMessage().get("event").asText());
            assertEquals(RunState.RUNNING, vm.state());
        }
        await(() -> server.clientCount() == 0, "all clients are gone");
    }

    @Test
    void oneClientMoreThanTheLimitGetsAClearErrorAndIsClosed() throws Exception {
        start(QmpServerOptions.unixSocket(dir.resolve("qmp.sock")).withMaxClients(2));
        try (QmpTestClient a = QmpTestClient.connect(socket()); QmpTestClient b = QmpTestClient.connect(socket())) {
            a.negotiate();
            b.negotiate();
            try (QmpTestClient c = QmpTestClient.connect(socket())) {
                JsonNode refusal = c.readMessage();
                assertEquals("GenericError", refusal.path("error").path("class").asText());
                assertTrue(refusal.path("error").path("desc").asText().startsWith(
                        "Too many QMP clients: this server accepts at most 2 connections"), refusal.toString());
                assertTrue(c.awaitClose(Duration.ofSeconds(5)));
            }
            a.close();
            await(() -> server.clientCount() == 1, "the first client is gone");
            try (QmpTestClient d = QmpTestClient.connect(socket())) {
                d.negotiate();
            }
            assertEquals(json("{\"return\":{\"running\":true,\"status\":\"running\"},\"id\":\"b\"}"),
                    b.execute("query-status", "b"));
        }
    }

    @Test
    void oversizedMessageAcrossManyReadsGetsOneErrorAndTheConnectionGoesOn() throws Exception {
        start(QmpServerOptions.unixSocket(dir.resolve("qmp.sock")).withMaxMessageBytes(1024));
        try (QmpTestClient c = QmpTestClient.connect(socket())) {
            c.negotiate();
            c.write("{\"execute\":\"query-status\",\"id\":\"");
            for (int i = 0; i < 100; i++) {
                c.write("x".repeat(1000));
            }
            c.write("\"}");
            JsonNode error = c.readReply();
            assertTrue(error.path("error").path("desc").asText().startsWith(
                    "Message too large: a QMP message may hold at most 1024 bytes"), error.toString());
            assertFalse(error.has("id"));
            assertEquals("ok", c.execute("query-version", "ok").get("id").asText());
        }
    }

    @Test
    void quitSendsShutdownToEveryoneAnswersAndClosesTheAskingConnection() throws Exception {
        start();
        try (QmpTestClient a = QmpTestClient.connect(socket()); QmpTestClient b = QmpTestClient.connect(socket())) {
            a.negotiate();
            b.negotiate();
            a.write("{\"execute\":\"quit\",\"id\":\"bye\"}");
            JsonNode shutdown = a.readMessage();
            assertEquals(json("{\"guest\":false,\"reason\":\"host-qmp-quit\"}"), shutdown.get("data"));
            assertEquals(json("{\"return\":{},\"id\":\"bye\"}"), a.readMessage());
            assertTrue(a.awaitClose(Duration.ofSeconds(5)), "quit closes the connection");
            assertEquals("SHUTDOWN", b.readMessage().get("event").asText());
            assertEquals(RunState.SHUTDOWN, vm.state());
        }
    }

    @Test
    void aSlowVmCommandBlocksNeitherOtherClientsNorTheEventLoop() throws Exception {
        start();
        try (QmpTestClient a = QmpTestClient.connect(socket()); QmpTestClient b = QmpTestClient.connect(socket())) {
            a.negotiate();
            b.negotiate();
            vm.closeGate();
            a.write("{\"execute\":\"stop\",\"id\":\"slow\"}{\"execute\":\"query-version\",\"id\":\"after\"}");
            long t0 = System.nanoTime();
            assertEquals("quick", b.execute("query-version", "quick").get("id").asText());
            assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(2).toNanos());
            vm.openGate();
            assertEquals("slow", a.readReply().get("id").asText());
            assertEquals("after", a.readReply().get("id").asText());
        }
    }

    @Test
    void aClientLeavingWhileItsCommandRunsLeavesTheServerHealthy() throws Exception {
        start();
        vm.closeGate();
        try (QmpTestClient a = QmpTestClient.connect(socket())) {
            a.negotiate();
            a.write("{\"execute\":\"stop\",\"id\":\"orphan\"}");
            await(() -> server.clientCount() == 1, "the client is registered");
        }
        await(() -> server.clientCount() == 0, "the client is gone");
        vm.openGate();
        try (QmpTestClient b = QmpTestClient.connect(socket())) {
            b.negotiate();
            assertEquals(json("{\"return\":{\"running\":false,\"status\":\"paused\"},\"id\":\"b\"}"),
                    b.execute("query-status", "b"));
        }
    }

    @Test
    void thousandsOfPipelinedCommandsFromAClientThatReadsLateAllArriveInOrder() throws Exception {
        start();
        int n = 5000;
        try (QmpTestClient c = QmpTestClient.connect(socket())) {
            c.negotiate();
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < n; i++) {
                batch.append("{\"execute\":\"query-status\",\"id\":").append(i).append('}');
            }
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    c.write(batch.toString());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            // Let the server fill its output and pause reading before we read anything.
            Thread.sleep(300);
            for (int i = 0; i < n; i++) {
                assertEquals(i, c.readReply().get("id").asInt());
            }
            writer.join(10_000);
            assertFalse(writer.isAlive());
        }
    }

    @Test
    void tcpOnLoopbackWhenAskedFor() throws Exception {
        start(QmpServerOptions.unixSocket(dir.resolve("unused")).withEndpoint(QmpEndpoint.Tcp.loopback(0)));
        QmpEndpoint.Tcp bound = (QmpEndpoint.Tcp) server.endpoint();
        assertTrue(bound.port() > 0);
        try (QmpTestClient c = QmpTestClient.connect(bound.host(), bound.port())) {
            c.negotiate();
            assertEquals("t", c.execute("query-status", "t").get("id").asText());
        }
    }

    @Test
    void closingTheServerClosesItsClients() throws Exception {
        start();
        try (QmpTestClient c = QmpTestClient.connect(socket())) {
            c.negotiate();
            server.close();
            assertTrue(c.awaitClose(Duration.ofSeconds(5)));
            assertThrows(EOFException.class, () -> c.readRawLine(Duration.ofSeconds(1)));
        }
        assertEquals(0, vm.hub().subscriberCount(), "the server unsubscribed from VM events");
    }
}
