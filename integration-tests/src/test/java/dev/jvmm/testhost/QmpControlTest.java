package dev.jvmm.testhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * QMP controls a running L2 guest in the test host: {@code stop}/{@code cont} park it with the guest clock
 * frozen (STOP and RESUME events), {@code system_powerdown} presses the ACPI power button, which the guest's
 * acpid turns into a power-off (POWERDOWN, then SHUTDOWN with guest=true), and {@code quit} ends the VMM
 * with exit status 0. Each scenario runs against QEMU, the reference, and against jvmm, with the same
 * client ({@link QmpScript}) and the same guest.
 */
@Tag("l1")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QmpControlTest {
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(8);
    private static final long PAUSE_MILLIS = 6000;
    private static final String TICK = "JVMM-L2 TICK ";

    private TestHost host;

    @BeforeAll
    void startHost() {
        host = TestHost.start("qmp", TestHostOptions.defaults().withDevices());
    }

    @AfterAll
    void removeHost() {
        if (host != null) {
            host.close();
            assertEquals(List.of(), host.containersLeft(), "the test-host container outlived close()");
        }
    }

    static Stream<L2Vmm> vmms() {
        return Stream.of(new QemuL2Vmm(), JvmmL2Vmm.ofThisProject());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vmms")
    void pausedGuestClockStandsStillAndPowerButtonShutsItDown(L2Vmm vmm) {
        QmpRun run = host.runL2WithQmp(vmm, L2Test.QMP, List.of(
                "console:^" + TICK, "cmd:query-status", "sleep:1500",
                "cmd:stop", "cmd:query-status", "sleep:" + PAUSE_MILLIS, "cmd:cont", "sleep:3000",
                "cmd:system_powerdown", "event:POWERDOWN", "event:SHUTDOWN", "eof"), RUN_TIMEOUT);
        QmpTranscript qmp = run.transcript();
        String why = run.diagnostics();

        assertTrue(qmp.completed(), "the QMP script did not run every step\n" + why);
        assertEquals(List.of("STOP", "RESUME", "POWERDOWN", "SHUTDOWN"), qmp.eventNames(), why);
        assertEquals("running", status(qmp, 0), why);
        assertEquals("paused", status(qmp, 1), why);

        long stopped = qmp.reply("stop").millis();
        // The guest is paused from the stop's reply until cont is sent: it may run, and print, before the reply
        // to cont arrives (a tick landed in that gap once).
        long resumed = qmp.sent("cont").millis();
        assertTrue(resumed - stopped >= PAUSE_MILLIS, why);
        List<QmpTranscript.Entry> ticksWhilePaused = qmp.console(line -> line.startsWith(TICK)).stream()
                .filter(e -> e.millis() > stopped + 500 && e.millis() < resumed).toList();
        assertEquals(List.of(), ticksWhilePaused, "the guest printed while paused\n" + why);
        double before = uptime(qmp.lastConsoleBefore(stopped, line -> line.startsWith(TICK)), why);
        double after = uptime(qmp.firstConsoleAfter(resumed, line -> line.startsWith(TICK)), why);
        double guestGapMillis = (after - before) * 1000;
        long wallGapMillis = resumed - stopped;
        System.out.printf("%s: paused %d ms of L1 time; the guest clock moved %.0f ms across the pause%n",
                vmm.name(), wallGapMillis, guestGapMillis);
        assertTrue(guestGapMillis < wallGapMillis - 4000,
                "the guest clock advanced " + guestGapMillis + " ms across a pause of " + wallGapMillis + " ms\n" + why);

        JsonNode shutdown = qmp.event("SHUTDOWN").json().path("data");
        assertTrue(shutdown.path("guest").asBoolean(), why);
        assertEquals("guest-shutdown", shutdown.path("reason").asText(), why);
        run.l2().assertPassed();
        assertEquals("1", run.l2().facts().get("power_button"), why);
        assertEquals(0, run.run().exitCode(), why);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vmms")
    void quitEndsTheVmmWithStatusZero(L2Vmm vmm) {
        QmpRun run = host.runL2WithQmp(vmm, L2Test.QMP, List.of(
                "console:^" + TICK, "cmd:quit", "event:SHUTDOWN", "eof"), RUN_TIMEOUT);
        QmpTranscript qmp = run.transcript();
        String why = run.diagnostics();

        assertTrue(qmp.completed(), "the QMP script did not run every step\n" + why);
        JsonNode shutdown = qmp.event("SHUTDOWN").json().path("data");
        assertEquals(false, shutdown.path("guest").asBoolean(), why);
        assertEquals("host-qmp-quit", shutdown.path("reason").asText(), why);
        assertEquals(0, run.run().exitCode(), why);
    }

    /** The status of the {@code n}-th query-status reply. */
    private static String status(QmpTranscript qmp, int n) {
        List<QmpTranscript.Entry> sent = qmp.entries().stream()
                .filter(e -> e.kind().equals("send") && e.json().path("execute").asText().equals("query-status")).toList();
        JsonNode id = sent.get(n).json().path("id");
        return qmp.entries().stream().filter(e -> e.kind().equals("recv") && id.equals(e.json().path("id")))
                .findFirst().map(e -> e.json().path("return").path("status").asText()).orElse("(no reply)");
    }

    private static double uptime(Optional<QmpTranscript.Entry> tick, String why) {
        return Double.parseDouble(tick.orElseThrow(() -> new AssertionError("no TICK line around the pause\n" + why))
                .text().substring(TICK.length()).strip());
    }
}
