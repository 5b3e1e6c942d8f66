package dev.jvmm.qmp.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jvmm.qmp.QmpErrorClass;
import dev.jvmm.qmp.QmpException;
import dev.jvmm.qmp.RunState;
import dev.jvmm.qmp.testing.FakeVm;
import dev.jvmm.qmp.testing.SessionHarness;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The protocol of one connection, driven by bytes against a {@link FakeVm}; no sockets. */
class QmpSessionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void assertError(JsonNode reply, QmpErrorClass cls, String desc) {
        assertEquals(cls.name(), reply.path("error").path("class").asText(), reply.toString());
        assertEquals(desc, reply.path("error").path("desc").asText(), reply.toString());
        assertFalse(reply.has("return"), "never both return and error: " + reply);
    }

    @Test
    void greetingHasVersionAndNoCapabilities() {
        try (SessionHarness h = new SessionHarness(new FakeVm())) {
            JsonNode greeting = h.next();
            assertEquals(List.of("QMP"), names(greeting));
            JsonNode qmp = greeting.get("QMP");
            assertEquals(List.of("version", "capabilities"), names(qmp));
            assertEquals(json("{\"qemu\":{\"micro\":0,\"minor\":2,\"major\":7},\"package\":\"jvmm\"}"), qmp.get("version"));
            assertEquals(json("[]"), qmp.get("capabilities"));
        }
    }

    @Test
    void beforeNegotiationEveryOtherCommandIsCommandNotFoundWithQemusText() {
        try (SessionHarness h = new SessionHarness(new FakeVm())) {
            h.next();
            for (String cmd : new String[] {"query-status", "stop", "no-such-command", "query-commands"}) {
                h.send("{\"execute\":\"" + cmd + "\",\"arguments\":{\"bogus\":1},\"id\":\"" + cmd + "\"}");
                JsonNode reply = h.next();
                assertError(reply, QmpErrorClass.CommandNotFound,
                        "Expecting capabilities negotiation with 'qmp_capabilities'");
                assertEquals(cmd, reply.get("id").asText());
            }
            assertEquals(0, h.vm.calls("stop"));
            // Bad requests keep their own GenericError text.
            h.send("{\"execute\":\"stop\",\"foo\":1}");
            assertError(h.next(), QmpErrorClass.GenericError, "QMP input member 'foo' is unexpected");
        }
    }

    @Test
    void negotiationVariants() {
        try (SessionHarness h = new SessionHarness(new FakeVm())) {
            h.next();
            h.send("{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":[\"oob\"]},\"id\":1}");
            assertError(h.next(), QmpErrorClass.GenericError, "Capability oob not available");
            h.send("{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":[\"bogus\"]}}");
            assertError(h.next(), QmpErrorClass.GenericError, "Parameter 'enable[0]' does not accept value 'bogus'");
            h.send("{\"execute\":\"qmp_capabilities\",\"arguments\":{\"foo\":1}}");
            assertError(h.next(), QmpErrorClass.GenericError, "Parameter 'foo' is unexpected");
            // Still negotiating after those failures.
            h.send("{\"execute\":\"query-status\"}");
            assertError(h.next(), QmpErrorClass.CommandNotFound, "Expecting capabilities negotiation with 'qmp_capabilities'");
            // What qemu.qmp sends: arguments {}, no id.
            h.send("{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":[]}}");
            assertEquals(json("{\"return\":{}}"), h.next());
            h.send("{\"execute\":\"qmp_capabilities\",\"id\":\"again\"}");
            JsonNode again = h.next();
            assertError(again, QmpErrorClass.CommandNotFound, "Capabilities negotiation is already complete, command ignored");
            assertEquals("again", again.get("id").asText());
        }
    }

    @Test
    void eventsAreDroppedBeforeNegotiationAndSentAfter() {
        try (FakeVm vm = new FakeVm(RunState.RUNNING); SessionHarness h = new SessionHarness(vm)) {
            h.next();
            vm.emitFromGuest(new dev.jvmm.qmp.VmEvent.Stop(java.time.Instant.ofEpochSecond(1)));
            h.assertSilent(200);
            h.send("{\"execute\":\"qmp_capabilities\"}");
            assertEquals(json("{\"return\":{}}"), h.next());
            vm.emitFromGuest(new dev.jvmm.qmp.VmEvent.Stop(java.time.Instant.ofEpochSecond(1795330061, 91_730_123)));
            assertEquals(json("{\"event\":\"STOP\",\"timestamp\":{\"seconds\":1795330061,\"microseconds\":91730}}"), h.next());
        }
    }

    @Test
    void requestMemberChecksInQemusOrderWithIdEcho() {
        try (SessionHarness h = SessionHarness.negotiated(new FakeVm())) {
            String[][] cases = {
                {"{\"execute\":1,\"id\":7}", "QMP input member 'execute' must be a string"},
                {"{\"execute\":\"stop\",\"arguments\":[],\"id\":7}", "QMP input member 'arguments' must be an object"},
                {"{\"execute\":\"stop\",\"arguments\":null,\"id\":7}", "QMP input member 'arguments' must be an object"},
                {"{\"execute\":\"stop\",\"foo\":1,\"id\":7}", "QMP input member 'foo' is unexpected"},
                {"{\"exec-oob\":\"stop\",\"id\":7}", "QMP input member 'exec-oob' is unexpected"},
                {"{\"id\":7}", "QMP input lacks member 'execute'"},
                {"{\"execute\":\"stop\",\"arguments\":{\"x\":1},\"id\":7}", "Parameter 'x' is unexpected"},
            };
            for (String[] c : cases) {
                h.send(c[0]);
                JsonNode reply = h.next();
                assertError(reply, QmpErrorClass.GenericError, c[1]);
                assertEquals(7, reply.get("id").asInt(), c[0]);
            }
            h.send("{}");
            JsonNode noId = h.next();
            assertError(noId, QmpErrorClass.GenericError, "QMP input lacks member 'execute'");
            assertFalse(noId.has("id"));
            h.send("{\"execute\":\"foo\",\"id\":[1]}");
            JsonNode unknown = h.next();
            assertError(unknown, QmpErrorClass.CommandNotFound, "The command foo has not been found");
            assertEquals(json("[1]"), unknown.get("id"));
            assertEquals(0, h.vm.calls("stop"), "no request with a bad member may run");
        }
    }

    @Test
    void nonObjectsAndMalformedJsonGetOneErrorWithoutIdAndTheConnectionStaysUsable() {
        try (SessionHarness h = SessionHarness.negotiated(new FakeVm())) {
            for (String bad : new String[] {"[1,2]", "42", "\"s\"", "null"}) {
                h.send(bad + " ");
                JsonNode reply = h.next();
                assertError(reply, QmpErrorClass.GenericError, "QMP input must be a JSON object");
                assertFalse(reply.has("id"));
            }
            h.send("{\"execute\": }");
            JsonNode parse = h.next();
            assertTrue(parse.path("error").path("desc").asText().startsWith("JSON parse error, "), parse.toString());
            assertFalse(parse.has("id"));
            h.send("{\"id\":\"a\",\"id\":\"b\"}");
            assertError(h.next(), QmpErrorClass.GenericError, "JSON parse error, duplicate key");
            h.send("}");
            assertError(h.next(), QmpErrorClass.GenericError, "JSON parse error, expecting value");
            h.send("{\"execute\":\"query-status\",\"id\":\"x\", \u0001");
            assertError(h.next(), QmpErrorClass.GenericError, "JSON parse error, stray '\u0001'");
            h.send("{\"execute\":\"query-status\",\"id\":\"ok\"}");
            assertEquals(json("{\"return\":{\"running\":false,\"status\":\"prelaunch\"},\"id\":\"ok\"}"), h.next());
            h.assertSilent(100);
        }
    }

    @Test
    void idOfAnyTypeIsEchoedOnSuccessAndOnError() {
        try (SessionHarness h = SessionHarness.negotiated(new FakeVm())) {
            for (String id : new String[] {"1", "3.5", "-0.5", "true", "null", "{\"a\":[1]}", "\"\u00fc\u2713\"",
                    "123456789012345678901234567890"}) {
                h.send("{\"execute\":\"query-version\",\"id\":" + id + "}");
                JsonNode ok = h.next();
                assertTrue(ok.has("return"));
                assertEquals(json(id), ok.get("id"), id);
                h.send("{\"id\":" + id + ",\"execute\":\"query-version\",\"arguments\":{\"x\":0}}");
                JsonNode err = h.next();
                assertError(err, QmpErrorClass.GenericError, "Parameter 'x' is unexpected");
                assertEquals(json(id), err.get("id"), id);
            }
        }
    }

    @Test
    void splitAndMergedFramesAreAnsweredInOrder() {
        try (SessionHarness h = SessionHarness.negotiated(new FakeVm())) {
            String a = "{\"execute\":\"query-status\",\"id\":1}";
            String b = "{\n  \"execute\": \"query-version\",\n  \"id\": 2\n}";
            String c = "{'execute':'query-status','id':3}";
            byte[] all = (a + b + "\r\n" + c).getBytes(StandardCharsets.UTF_8);
            h.send(java.util.Arrays.copyOfRange(all, 0, 5));
            h.assertSilent(50);
            h.send(java.util.Arrays.copyOfRange(all, 5, a.length() + 3));
            h.send(java.util.Arrays.copyOfRange(all, a.length() + 3, all.length));
            assertEquals(1, h.next().get("id").asInt());
            assertEquals(2, h.next().get("id").asInt());
            assertEquals(3, h.next().get("id").asInt());
        }
    }

    @Test
    void repliesKeepRequestOrderWhileTheVmIsSlow() {
        try (SessionHarness h = SessionHarness.negotiated(new FakeVm(RunState.RUNNING))) {
            h.vm.closeGate();
            h.send("{\"execute\":\"stop\",\"id\":\"stop\"}{\"execute\":\"query-version\",\"id\":\"v\"}{");
            // query-version needs no VM, but must not overtake the stop reply.
            h.assertSilent(200);
            assertEquals(2, h.backlog());
            h.vm.openGate();
            JsonNode stopEvent = h.next();
            assertEquals("STOP", stopEvent.get("event").asText());
            assertEquals(json("{\"return\":{},\"id\":\"stop\"}"), h.next());
            assertEquals("v", h.next().get("id").asText());
            h.send("}");
            assertError(h.next(), QmpErrorClass.GenericError, "QMP input lacks member 'execute'");
        }
    }

    @Test
    void runStateCommandsDriveTheVmAndEmitEventsBeforeTheirReplies() {
        try (SessionHarness h = SessionHarness.negotiated(new FakeVm())) {
            h.send("{\"execute\":\"stop\",\"id\":1}");
            // stop during prelaunch: no event, state kept.
            assertEquals(json("{\"return\":{},\"id\":1}"), h.next());
            h.send("{\"execute\":\"query-status\",\"id\":2}");
            assertEquals(json("{\"return\":{\"running\":false,\"status\":\"prelaunch\"},\"id\":2}"), h.next());
            h.send("{\"execute\":\"cont\",\"id\":3}");
            assertEquals("RESUME", h.next().get("event").asText());
            assertEquals(json("{\"return\":{},\"id\":3}"), h.next());
            h.send("{\"execute\":\"cont\",\"id\":4}");
            assertEquals(json("{\"return\":{},\"id\":4}"), h.next());
            h.send("{\"execute\":\"query-status\",\"id\":5}");
            assertEquals(json("{\"return\":{\"running\":true,\"status\":\"running\"},\"id\":5}"), h.next());
            h.send("{\"execute\":\"stop\",\"id\":6}");
            JsonNode stop = h.next();
            assertEquals("STOP", stop.get("event").asText());
            assertFalse(stop.has("data"), "STOP carries no data");
            assertEquals(json("{\"return\":{},\"id\":6}"), h.next());
            assertEquals(RunState.PAUSED, h.vm.state());
            h.send("{\"execute\":\"system_reset\",\"id\":7}");
            JsonNode reset = h.next();
            assertEquals("RESET", reset.get("event").asText());
            assertEquals(json("{\"guest\":false,\"reason\":\"host-qmp-system-reset\"}"), reset.get("data"));
            assertEquals(json("{\"return\":{},\"id\":7}"), h.next());
            h.send("{\"execute\":\"system_powerdown\",\"id\":8}");
            assertEquals("POWERDOWN", h.next().get("event").asText());
            assertEquals(json("{\"return\":{},\"id\":8}"), h.next());
            assertEquals(2, h.vm.calls("stop"));
            assertEquals(2, h.vm.calls("cont"));
            assertEquals(1, h.vm.calls("reset"));
            assertEquals(1, h.vm.calls("powerdown"));
            assertEquals(2, h.vm.calls("status"));
        }
    }

    @Test
    void quitSendsShutdownThenReplyThenCloses() {
        try (SessionHarness h = SessionHarness.negotiated(new FakeVm(RunState.RUNNING))) {
            h.send("{\"execute\":\"quit\",\"id\":\"q\"}{\"execute\":\"query-status\",\"id\":\"after\"}");
            JsonNode shutdown = h.next();
            assertEquals("SHUTDOWN", shutdown.get("event").asText());
            assertEquals(json("{\"guest\":false,\"reason\":\"host-qmp-quit\"}"), shutdown.get("data"));
            assertTrue(shutdown.get("timestamp").get("seconds").asLong() > 1_700_000_000L);
            assertEquals(json("{\"return\":{},\"id\":\"q\"}"), h.next());
            h.assertSilent(200);
            assertTrue(h.closedByServer());
            assertEquals(0, h.vm.calls("status"), "nothing after quit runs");
        }
    }

    @Test
    void strictArgumentsHaveNoSideEffect() {
        try (SessionHarness h = SessionHarness.negotiated(new FakeVm(RunState.RUNNING))) {
            h.send("{\"execute\":\"stop\",\"arguments\":{\"force\":true},\"id\":1}");
            assertError(h.next(), QmpErrorClass.GenericError, "Parameter 'force' is unexpected");
            h.send("{\"execute\":\"quit\",\"arguments\":{\"now\":1},\"id\":2}");
            assertError(h.next(), QmpErrorClass.GenericError, "Parameter 'now' is unexpected");
            assertEquals(0, h.vm.calls("stop"));
            assertEquals(0, h.vm.calls("quit"));
            assertEquals(RunState.RUNNING, h.vm.state());
            assertFalse(h.closedByServer());
        }
    }

    @Test
    void vmFailuresBecomeErrorsOfTheirClass() {
        try (SessionHarness h = SessionHarness.negotiated(new FakeVm(RunState.RUNNING))) {
            h.vm.failNext(new QmpException(QmpErrorClass.DeviceNotFound, "Device 'x' not found"));
            h.send("{\"execute\":\"query-pci\",\"id\":1}");
            JsonNode notFound = h.next();
            assertError(notFound, QmpErrorClass.DeviceNotFound, "Device 'x' not found");
            assertEquals(1, notFound.get("id").asInt());
            h.vm.failNext(new IllegalStateException("vCPU 1 did not stop within 5 s"));
            h.send("{\"execute\":\"stop\",\"id\":2}");
            assertError(h.next(), QmpErrorClass.GenericError, "vCPU 1 did not stop within 5 s");
            assertEquals(RunState.RUNNING, h.vm.state());
            h.send("{\"execute\":\"stop\",\"id\":3}");
            assertEquals("STOP", h.next().get("event").asText());
            assertEquals(3, h.next().get("id").asInt());
        }
    }

    @Test
    void queryCommandsListsEveryCommandInCommandMode() {
        try (SessionHarness h = SessionHarness.negotiated(new FakeVm())) {
            h.send("{\"execute\":\"query-commands\"}");
            List<String> names = new java.util.ArrayList<>();
            h.next().get("return").forEach(c -> names.add(c.get("name").asText()));
            assertEquals(List.of("qmp_capabilities", "query-version", "query-commands", "query-status", "stop", "cont",
                    "system_reset", "system_powerdown", "quit", "query-pci", "query-cpus-fast"), names);
        }
    }

    @Test
    void tooLargeMessageGetsAClearErrorAndTheNextCommandWorks() {
        try (SessionHarness h = new SessionHarness(new FakeVm(), 256)) {
            h.next();
            h.send("{\"execute\":\"qmp_capabilities\",\"id\":\"" + "x".repeat(300) + "\"}");
            JsonNode tooLarge = h.next();
            assertEquals("GenericError", tooLarge.path("error").path("class").asText());
            assertTrue(tooLarge.path("error").path("desc").asText().startsWith("Message too large: a QMP message may hold at most 256 bytes"));
            assertNull(tooLarge.get("id"));
            h.send("{\"execute\":\"qmp_capabilities\"}");
            assertEquals(json("{\"return\":{}}"), h.next());
        }
    }

    private static List<String> names(JsonNode object) {
        List<String> out = new java.util.ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
