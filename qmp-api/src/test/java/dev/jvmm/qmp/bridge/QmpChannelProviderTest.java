package dev.jvmm.qmp.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jvmm.cli.VmConfig;
import dev.jvmm.pci.PciBdf;
import dev.jvmm.pci.PciFunctionSummary;
import dev.jvmm.pci.PciIdentity;
import dev.jvmm.qmp.testing.QmpTestClient;
import dev.jvmm.vmm.ControlChannelProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provider bin/vmm finds: registered for ServiceLoader, serving QMP on the socket -qmp names. */
class QmpChannelProviderTest {
    @TempDir
    Path dir;

    private final FakeControlPlane plane = new FakeControlPlane();

    @AfterEach
    void close() {
        plane.close();
    }

    @Test
    void serviceLoaderFindsExactlyThisProvider() {
        List<ControlChannelProvider> found = ServiceLoader.load(ControlChannelProvider.class).stream()
                .map(ServiceLoader.Provider::get).toList();
        assertEquals(1, found.size(), found.toString());
        assertTrue(found.getFirst() instanceof QmpChannelProvider);
    }

    @Test
    void theChannelServesTheControlPlaneOverTheSocketAndCleansUpOnClose() throws Exception {
        Path socket = dir.resolve("vm.qmp");
        plane.pci = List.of(new PciFunctionSummary(PciBdf.parse("00:00.0"), "host bridge",
                new PciIdentity(0x1b36, 0x0008, 0, 0x06_00_00, 0, 0), 0, 0, 0, List.of()));
        AutoCloseable channel = new QmpChannelProvider().open(new VmConfig.QmpSpec.Unix(socket), plane);
        try (QmpTestClient client = QmpTestClient.connect(socket)) {
            client.negotiate();
            JsonNode reply = client.execute("stop", "s1");
            assertEquals("{}", reply.get("return").toString());
            assertEquals("s1", reply.get("id").asText());
            assertEquals(List.of("STOP"), client.events().stream().map(e -> e.get("event").asText()).toList(),
                    "STOP arrives before the stop reply");
            assertEquals("{\"running\":false,\"status\":\"paused\"}",
                    client.execute("query-status", "q").get("return").toString());

            JsonNode refused = client.execute("system_powerdown", "p").get("error");
            assertEquals("GenericError", refused.get("class").asText());
            assertTrue(refused.get("desc").asText().startsWith("guest has no ACPI power button"), refused.toString());

            JsonNode bridge = client.execute("query-pci", "pci").get("return").get(0).get("devices").get(0);
            assertEquals(6966, bridge.get("id").get("vendor").asInt());
            assertEquals(8, bridge.get("id").get("device").asInt());
            assertEquals(1536, bridge.get("class_info").get("class").asInt());
            assertEquals("Host bridge", bridge.get("class_info").get("desc").asText());
        } finally {
            channel.close();
        }
        assertFalse(Files.exists(socket), "the socket file is removed on close");
        assertEquals(0, plane.subscribers(), "no subscription outlives the channel");
        assertTrue(plane.ranOn.stream().allMatch(FakeControlPlane.CONTROL_THREAD::equals), plane.ranOn.toString());
    }

    @Test
    void aNonLoopbackTcpEndpointIsRefusedAndLeavesNoSubscription() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new QmpChannelProvider().open(new VmConfig.QmpSpec.Tcp("192.0.2.1", 4444), plane));
        assertTrue(e.getMessage().contains("loopback"), e.getMessage());
        assertEquals(0, plane.subscribers());
    }
}
