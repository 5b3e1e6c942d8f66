package dev.jvmm.qmp.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jvmm.qmp.QmpServerOptions;
import dev.jvmm.qmp.RunState;
import dev.jvmm.qmp.testing.FakeVm;
import dev.jvmm.qmp.testing.QmpTestClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exact byte exchange of the Python {@code qemu.qmp} client ({@code QMPClient}), replayed over a real
 * socket, because {@code qemu.qmp} itself cannot be installed here (python3 has no {@code qemu} package and
 * PyPI is unreachable). What the client does, from its source ({@code qmp_client.py}, {@code message.py}):
 * <ol>
 *   <li>reads one line ({@code StreamReader.readline}, so up to LF) and requires a {@code QMP} object with
 *       {@code version.qemu.{major,minor,micro}}, {@code version.package} and {@code capabilities};</li>
 *   <li>negotiates with {@code json.dumps(msg, separators=(',', ':'))}: no spaces, no newline, no id;
 *       {@code {"execute":"qmp_capabilities","arguments":{}}} since the greeting offers no {@code oob};
 *       reads one line and asserts {@code 'return' in reply} and {@code 'error' not in reply};</li>
 *   <li>then sends each command as {@code {"execute":NAME}} (plus {@code "arguments"} only when given)
 *       followed by {@code "id":"__qmp#NNNNN"}, again without newline, and routes each reply line by id;
 *       lines with {@code event} go to event listeners;</li>
 *   <li>an error without id while no id-less command is pending makes it drop the connection, so the
 *       server must never send one to a well-behaved client.</li>
 * </ol>
 */
class QemuQmpClientReplayTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** One line as qemu.qmp reads it: everything up to and including LF, then json.loads. */
    private static JsonNode pythonReadline(QmpTestClient c) throws Exception {
        byte[] line = c.readRawLine(QmpTestClient.DEFAULT_TIMEOUT);
        assertEquals('\n', line[line.length - 1]);
        String text = new String(line, StandardCharsets.US_ASCII);
        assertEquals(1, text.chars().filter(ch -> ch == '\n').count());
        JsonNode message = JSON.readTree(text);
        assertTrue(message.isObject(), "qemu.qmp requires every message to be a JSON object: " + text);
        return message;
    }

    @Test
    void qemuQmpSessionWorksByteForByte() throws Exception {
        try (FakeVm vm = new FakeVm(RunState.RUNNING);
                QmpServer server = QmpServer.start(QmpServerOptions.unixSocket(dir.resolve("qmp.sock")), vm);
                QmpTestClient c = QmpTestClient.connect(dir.resolve("qmp.sock"))) {
            JsonNode greeting = pythonReadline(c);
            JsonNode version = greeting.get("QMP").get("version");
            assertTrue(version.get("qemu").get("major").isInt() && version.get("qemu").get("minor").isInt()
                    && version.get("qemu").get("micro").isInt() && version.get("package").isTextual());
            assertTrue(greeting.get("QMP").get("capabilities").isArray());
            boolean oob = false;
            for (JsonNode cap : greeting.get("QMP").get("capabilities")) {
                oob |= cap.asText().equals("oob");
            }
            assertFalse(oob, "this server offers no OOB, so qemu.qmp negotiates without 'enable'");

            c.write("{\"execute\":\"qmp_capabilities\",\"arguments\":{}}");
            JsonNode negotiated = pythonReadline(c);
            assertTrue(negotiated.has("return") && !negotiated.has("error"));

            // execute('query-status'), execute('stop'), execute('query-status'), execute('cont'),
            // execute('query-commands'): ids __qmp#00000.., arguments omitted when None.
            String[] commands = {"query-status", "stop", "query-status", "cont", "query-commands"};
            for (int i = 0; i < commands.length; i++) {
                c.write("{\"execute\":\"" + commands[i] + "\",\"id\":\"__qmp#" + String.format("%05d", i) + "\"}");
            }
            List<JsonNode> replies = new ArrayList<>();
            List<String> events = new ArrayList<>();
            while (replies.size() < commands.length) {
                JsonNode m = pythonReadline(c);
                if (m.has("event")) {
                    events.add(m.get("event").asText());
                    continue;
                }
                assertTrue(m.has("id"), "an id-less reply would make qemu.qmp drop the connection: " + m);
                replies.add(m);
            }
            for (int i = 0; i < commands.length; i++) {
                assertEquals("__qmp#" + String.format("%05d", i), replies.get(i).get("id").asText());
                assertTrue(replies.get(i).has("return"), replies.get(i).toString());
            }
            assertEquals("running", replies.get(0).get("return").get("status").asText());
            assertEquals("paused", replies.get(2).get("return").get("status").asText());
            assertEquals(List.of("STOP", "RESUME"), events);

            // execute('query-version', arguments={}) sends "arguments" before "id".
            c.write("{\"execute\":\"query-version\",\"arguments\":{},\"id\":\"__qmp#00005\"}");
            JsonNode v = pythonReadline(c);
            assertEquals("__qmp#00005", v.get("id").asText());
            assertEquals(7, v.get("return").get("qemu").get("major").asInt());

            // An ExecuteError: qemu.qmp reads error.class and error.desc.
            c.write("{\"execute\":\"device_list_properties\",\"arguments\":{\"typename\":\"x\"},\"id\":\"__qmp#00006\"}");
            JsonNode err = pythonReadline(c);
            assertEquals("__qmp#00006", err.get("id").asText());
            assertEquals("CommandNotFound", err.get("error").get("class").asText());
            assertTrue(err.get("error").get("desc").isTextual());
        }
    }
}
