package dev.jvmm.qmp.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jvmm.qmp.ShutdownCause;
import dev.jvmm.qmp.VmEvent;
import dev.jvmm.qmp.wire.JsonLineWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventEncoderTest {

    private static String line(VmEvent e) {
        return new String(JsonLineWriter.line(EventEncoder.encode(e)), StandardCharsets.US_ASCII);
    }

    @Test
    void eventsWithoutDataLeaveDataOut() {
        Instant at = Instant.ofEpochSecond(1795330061, 91_730_999);
        assertEquals("{\"event\":\"STOP\",\"timestamp\":{\"seconds\":1795330061,\"microseconds\":91730}}\r\n",
                line(new VmEvent.Stop(at)));
        assertEquals("{\"event\":\"RESUME\",\"timestamp\":{\"seconds\":1795330061,\"microseconds\":91730}}\r\n",
                line(new VmEvent.Resume(at)));
        assertEquals("{\"event\":\"POWERDOWN\",\"timestamp\":{\"seconds\":1795330061,\"microseconds\":91730}}\r\n",
                line(new VmEvent.Powerdown(at)));
    }

    @Test
    void shutdownAndResetCarryGuestAndReason() {
        Instant at = Instant.ofEpochSecond(1795330176, 484_177_000);
        assertEquals("{\"event\":\"SHUTDOWN\",\"data\":{\"guest\":false,\"reason\":\"host-qmp-quit\"},"
                + "\"timestamp\":{\"seconds\":1795330176,\"microseconds\":484177}}\r\n",
                line(new VmEvent.Shutdown(at, false, ShutdownCause.HOST_QMP_QUIT)));
        assertEquals("{\"event\":\"RESET\",\"data\":{\"guest\":true,\"reason\":\"guest-reset\"},"
                + "\"timestamp\":{\"seconds\":1795330176,\"microseconds\":484177}}\r\n",
                line(new VmEvent.Reset(at, true, ShutdownCause.GUEST_RESET)));
    }

    @Test
    void timestampsBeforeTheEpochKeepMicrosecondsPositive() {
        // Instant normalises to a floor second and a non-negative nano part, as timeval does.
        Instant at = Instant.ofEpochSecond(0, -1_000);
        assertEquals("{\"seconds\":-1,\"microseconds\":999999}", EventEncoder.timestamp(at).toString());
    }
}
