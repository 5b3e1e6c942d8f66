package dev.jvmm.qmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ApiRecordsTest {

    @Test
    void tcpEndpointMustBeLoopbackUnlessOverridden() {
        assertEquals("tcp:127.0.0.1:4444", QmpEndpoint.Tcp.loopback(4444).toString());
        new QmpEndpoint.Tcp("::1", 0, false);
        new QmpEndpoint.Tcp("localhost", 0, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new QmpEndpoint.Tcp("0.0.0.0", 4444, false));
        assertTrue(e.getMessage().contains("allowNonLoopback"), e.getMessage());
        assertEquals("tcp:[::]:4444", new QmpEndpoint.Tcp("::", 4444, true).toString());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new QmpEndpoint.Tcp("example.org", 1, false))
                .getMessage().contains("not an IP address literal"));
        assertThrows(IllegalArgumentException.class, () -> new QmpEndpoint.Tcp("127.0.0.1", 65536, false));
    }

    @Test
    void unixSocketPathMustFitSunPath() {
        Path longPath = Path.of("/tmp/" + "d".repeat(110) + "/qmp.sock");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new QmpEndpoint.UnixSocket(longPath))
                .getMessage().contains("at most 107"));
        assertTrue(new QmpEndpoint.UnixSocket(Path.of("qmp.sock")).path().isAbsolute());
    }

    @Test
    void serverOptionsCheckTheirLimits() {
        QmpServerOptions o = QmpServerOptions.unixSocket(Path.of("/run/jvmm/qmp.sock"));
        assertEquals(QmpServerOptions.DEFAULT_MAX_CLIENTS, o.maxClients());
        assertEquals(2, o.withMaxClients(2).maxClients());
        assertThrows(IllegalArgumentException.class, () -> o.withMaxClients(0));
        assertThrows(IllegalArgumentException.class, () -> o.withMaxMessageBytes(100));
    }

    @Test
    void pciRecordsRejectValuesOutsideTheirRegisters() {
        assertThrows(IllegalArgumentException.class, () -> new PciDeviceId(0x10000, 0, OptionalInt.empty(), OptionalInt.empty()));
        assertThrows(IllegalArgumentException.class, () -> new PciMemoryRegion.Io(7, 0, 8));
        assertThrows(IllegalArgumentException.class, () -> new PciMemoryRegion.Memory(0, -2, 8, false, false));
        assertThrows(IllegalArgumentException.class, () -> new PciMemoryRegion.Memory(0, 0, 0, false, false));
        assertThrows(IllegalArgumentException.class, () -> new PciDeviceInfo(0, 32, 0,
                new PciDeviceClass(0, Optional.empty()), new PciDeviceId(0, 0, OptionalInt.empty(), OptionalInt.empty()),
                OptionalInt.empty(), 0, "", Optional.empty(), List.of()));
    }

    @Test
    void hubDeliversToEverySubscriberAndSurfacesListenerFailures() {
        VmEventHub hub = new VmEventHub();
        List<String> seen = new ArrayList<>();
        VmEventSource.Subscription a = hub.subscribe(e -> seen.add("a:" + e.name()));
        hub.subscribe(e -> {
            throw new IllegalStateException("listener broke");
        });
        hub.subscribe(e -> seen.add("c:" + e.name()));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> hub.publish(new VmEvent.Stop(Instant.EPOCH)));
        assertEquals("listener broke", e.getMessage());
        assertEquals(List.of("a:STOP", "c:STOP"), seen);
        a.close();
        a.close();
        assertEquals(2, hub.subscriberCount());
    }
}
