package dev.jvmm.qmp.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jvmm.qmp.QmpServerOptions;
import dev.jvmm.qmp.RunState;
import dev.jvmm.qmp.testing.FakeVm;
import dev.jvmm.qmp.testing.QmpTestClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same inputs sent to a real {@code qemu-system-x86_64 -S} and to our server (with a VM in
 * prelaunch); every reply must agree: error class, error text, id, and return value. Needs QEMU, so it
 * is tagged {@code qemu} and left out of the default build; run it with
 * {@code bin/mvn -q -pl qmp-api -am verify -Dsurefire.excludedGroups=l1 -Dtest=QemuDifferentialTest
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 *
 * <p>Known, intended differences are not sent: the version and {@code oob} in the greeting; QEMU 7.2's
 * deprecated {@code singlestep} member of {@code query-status} (removed before returns are compared);
 * the parameter name in an unknown-capability error (QEMU 7.2 says {@code 'null'}, we say
 * {@code 'enable[0]'}); ids QEMU turns into doubles ({@code 1e3}, integers beyond int64), which we echo
 * exactly; and anything that lets the guest run, whose events depend on the firmware.
 */
@Tag("qemu")
class QemuDifferentialTest {

    private static final String[] INPUTS = {
        "{\"execute\":\"query-status\",\"id\":1}",
        "{\"execute\":\"qmp_capabilities\",\"arguments\":{\"foo\":1}}",
        "{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":\"oob\"},\"id\":2}",
        "{\"execute\":\"qmp_capabilities\",\"arguments\":{}}",
        "{\"execute\":\"qmp_capabilities\",\"id\":\"again\"}",
        "[1,2]", "42 ", "\"s\"", "null ",
        "{\"execute\":1,\"id\":7}",
        "{\"execute\":\"stop\",\"arguments\":[],\"id\":7}",
        "{\"execute\":\"stop\",\"arguments\":null,\"id\":7}",
        "{\"execute\":\"stop\",\"foo\":1,\"id\":7}",
        "{\"exec-oob\":\"stop\",\"id\":7}",
        "{\"id\":7}", "{}",
        "{\"execute\":\"stop\",\"arguments\":{\"x\":1},\"id\":7}",
        "{\"execute\":\"query-status\",\"arguments\":{\"x\":1},\"id\":{\"a\":[1]}}",
        "{\"execute\":\"foo\",\"id\":[1]}",
        "{\"execute\": }", "nonsense ", "@", "@@ more garbage\n", "{\"id\":\"a\",\"id\":\"b\"}", "}", "]",
        "{\"a\" 1}", "{1:2}", "{\"a\":1 \"b\":2}", "[1 2]", "{\"a\":\"\\q\"}",
        "{\"execute\":\"query-status\",\"id\":\"x\", \u0001", "\u0001",
        "{\"execute\":\"query-status\",\"id\":3.5}",
        "{\"execute\":\"query-status\",\"id\":-0.5}",
        "{\"execute\":\"query-status\",\"id\":true}",
        "{\"execute\":\"query-status\",\"id\":null}",
        "{\"execute\":\"query-status\",\"id\":\"\u00fc\u2713\"}",
        "{'execute':'query-status','id':'single \\' quoted'}",
        "{\n  \"execute\": \"query-status\",\n  \"id\": \"pretty\"\n}\r\n",
        "{\"execute\":\"query-status\"}{\"execute\":\"query-status\",\"id\":\"merged\"}",
        "{\"execute\":\"stop\",\"id\":\"stop-in-prelaunch\"}",
        "{\"execute\":\"query-status\",\"id\":\"still-prelaunch\"}",
    };

    @TempDir
    Path dir;

    @Test
    void ourRepliesMatchQemu72() throws Exception {
        Path qemuSocket = dir.resolve("qemu.sock");
        Process qemu = new ProcessBuilder("qemu-system-x86_64", "-S", "-nodefaults", "-display", "none",
                "-machine", "q35", "-accel", "tcg", "-m", "64",
                "-qmp", "unix:" + qemuSocket + ",server=on,wait=off")
                .redirectErrorStream(true).redirectOutput(dir.resolve("qemu.log").toFile()).start();
        try (FakeVm vm = new FakeVm(RunState.PRELAUNCH);
                QmpServer server = QmpServer.start(QmpServerOptions.unixSocket(dir.resolve("ours.sock")), vm)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!Files.exists(qemuSocket)) {
                assertTrue(qemu.isAlive(), "QEMU exited: " + Files.readString(dir.resolve("qemu.log")));
                assertTrue(System.nanoTime() < deadline, "QEMU did not create its QMP socket within 20 s");
                Thread.sleep(20);
            }
            List<List<JsonNode>> fromQemu = exchange(qemuSocket);
            List<List<JsonNode>> fromUs = exchange(dir.resolve("ours.sock"));
            for (int i = 0; i < INPUTS.length; i++) {
                assertEquals(fromQemu.get(i), fromUs.get(i), "replies (as JSON values) to input " + i + ": "
                        + INPUTS[i].replace("\u0001", "\\u0001"));
            }
        } finally {
            qemu.destroy();
            qemu.waitFor();
        }
    }

    /** Sends each input and collects what comes back for it (a sync command marks the end). */
    private static List<List<JsonNode>> exchange(Path socket) throws IOException, TimeoutException {
        List<List<JsonNode>> all = new ArrayList<>();
        try (QmpTestClient c = QmpTestClient.connect(socket)) {
            c.readMessage();
            for (int i = 0; i < INPUTS.length; i++) {
                c.write(INPUTS[i].getBytes(StandardCharsets.UTF_8));
                // A brace ends any bare token and the skipping after a stray byte, and is itself complete.
                String syncId = "sync-" + i;
                c.write("{\"execute\":\"query-commands\",\"id\":\"" + syncId + "\",\"arguments\":{\"bogus\":0}}");
                List<JsonNode> replies = new ArrayList<>();
                while (true) {
                    JsonNode m;
                    try {
                        m = c.readMessage();
                    } catch (TimeoutException e) {
                        throw new AssertionError(socket.getFileName() + " did not answer input " + i + " ("
                                + INPUTS[i].replace("\u0001", "\\u0001") + ") and its sync command; replies so far "
                                + replies, e);
                    }
                    if (syncId.equals(m.path("id").asText(null))) {
                        break;
                    }
                    if (m.path("return").isObject() && m.get("return").has("singlestep")) {
                        ((ObjectNode) m.get("return")).remove("singlestep");
                    }
                    replies.add(m);
                }
                all.add(replies);
            }
        }
        return all;
    }
}
