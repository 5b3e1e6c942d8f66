package dev.jvmm.qmp.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jvmm.boot.SyntheticBzImage;
import dev.jvmm.kvm.testing.GuestProgram;
import dev.jvmm.kvm.testing.HostThreads;
import dev.jvmm.qmp.testing.QmpTestClient;
import dev.jvmm.vmm.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/vmm -qmp unix:PATH,server=on,wait=off} end to end on this machine's KVM: {@link Main} finds
 * the QMP channel through ServiceLoader, boots a stand-in kernel that prints and spins
 * (vmm-core's guest/kernel_spin.S), and a plain java.nio client on the UNIX socket drives it.
 */
class VmmQmpEndToEndTest {
    private static final String BANNER = "kernel spin on ttyS0\n";

    @TempDir
    Path dir;

    @Test
    void qmpStopsResumesListsResetsAndQuitsARunningVm() throws Exception {
        List<String> descriptorsBefore = HostThreads.kvmDescriptors();
        Path kernel = Files.write(dir.resolve("bzImage"), new SyntheticBzImage()
                .withEntryCode(GuestProgram.assemble("guest/kernel_spin.S").bytes()).build());
        Path socket = dir.resolve("vm.qmp");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread.ofPlatform().name("bin-vmm").daemon(true).start(() -> {
            try {
                exit.complete(Main.run(new String[] {"-kernel", kernel.toString(), "-m", "64", "-smp", "2",
                        "-qmp", "unix:" + socket + ",server=on,wait=off"}, new PrintStream(out, true),
                        new PrintStream(err, true), new ByteArrayInputStream(new byte[0])));
            } catch (Throwable t) {
                exit.completeExceptionally(t);
            }
        });
        awaitConsole(out, err, 1);
        assertTrue(Files.exists(socket), "the QMP socket is up before the VM runs");

        try (QmpTestClient qmp = QmpTestClient.connect(socket)) {
            qmp.negotiate();
            assertEquals("{\"running\":true,\"status\":\"running\"}", qmp.execute("query-status", "s0").get("return").toString());

            JsonNode cpus = qmp.execute("query-cpus-fast", "c0").get("return");
            assertEquals(2, cpus.size(), cpus.toString());
            List<Long> threads = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                JsonNode cpu = cpus.get(i);
                assertEquals(i, cpu.get("cpu-index").asInt());
                assertEquals("x86_64", cpu.get("target").asText());
                assertEquals(i, cpu.get("props").get("core-id").asInt());
                long tid = cpu.get("thread-id").asLong();
                assertTrue(HostThreads.isThreadOfThisProcess(tid), "thread-id " + tid + " is a thread of this JVM");
                threads.add(tid);
            }
            long bsp = threads.getFirst();
            assertTrue(HostThreads.cpuTimeOver(bsp, 200) > TimeUnit.MILLISECONDS.toNanos(20), "the boot vCPU spins");

            JsonNode stop = qmp.execute("stop", "stop");
            assertEquals("{}", stop.get("return").toString(), stop.toString());
            assertEquals(List.of("STOP"), eventNames(qmp), "STOP before the stop reply");
            assertFalse(qmp.events().getFirst().has("data"), "STOP has no data");
            assertEquals("{\"running\":false,\"status\":\"paused\"}", qmp.execute("query-status", "s1").get("return").toString());
            HostThreads.awaitSleeping(bsp, "after stop");
            long paused = HostThreads.cpuTimeOver(bsp, 200);
            assertTrue(paused < TimeUnit.MILLISECONDS.toNanos(5), "the paused vCPU ran " + paused + " ns in 200 ms");

            qmp.events().clear();
            assertEquals("{}", qmp.execute("cont", "cont").get("return").toString());
            assertEquals(List.of("RESUME"), eventNames(qmp));
            assertTrue(HostThreads.cpuTimeOver(bsp, 200) > TimeUnit.MILLISECONDS.toNanos(20), "the boot vCPU spins again");

            JsonNode pci = qmp.execute("query-pci", "pci").get("return");
            assertEquals(1, pci.size());
            assertEquals(0, pci.get(0).get("bus").asInt());
            JsonNode bridge = pci.get(0).get("devices").get(0);
            assertEquals(0x1b36, bridge.get("id").get("vendor").asInt());
            assertEquals(0x0008, bridge.get("id").get("device").asInt());
            assertEquals(0x0600, bridge.get("class_info").get("class").asInt());
            assertEquals("Host bridge", bridge.get("class_info").get("desc").asText());
            assertEquals(0, bridge.get("slot").asInt());
            assertEquals("[]", bridge.get("regions").toString());

            // The ACPI power button is pressed; the stand-in kernel spins with interrupts off and ignores it.
            qmp.events().clear();
            assertEquals("{}", qmp.execute("system_powerdown", "pd").get("return").toString());
            assertEquals(List.of("POWERDOWN"), eventNames(qmp));

            qmp.events().clear();
            assertEquals("{}", qmp.execute("system_reset", "reset").get("return").toString());
            assertEquals(List.of("RESET"), eventNames(qmp));
            assertEquals("{\"guest\":false,\"reason\":\"host-qmp-system-reset\"}", qmp.events().getFirst().get("data").toString());
            awaitConsole(out, err, 2);
            long newBsp = qmp.execute("query-cpus-fast", "c1").get("return").get(0).get("thread-id").asLong();
            assertNotEquals(bsp, newBsp, "the QMP connection now talks to the rebuilt VM");
            assertTrue(HostThreads.isThreadOfThisProcess(newBsp));

            qmp.events().clear();
            qmp.write("{\"execute\":\"quit\",\"id\":\"q\"}");
            JsonNode shutdown = qmp.readMessage();
            assertEquals("SHUTDOWN", shutdown.get("event").asText(), shutdown.toString());
            assertEquals("{\"guest\":false,\"reason\":\"host-qmp-quit\"}", shutdown.get("data").toString());
            try {
                JsonNode reply = qmp.readReply();
                assertEquals("{}", reply.get("return").toString(), reply.toString());
            } catch (EOFException prematureButAllowed) {
                // QMP: "a premature EOF would not be unexpected" after quit
            }
            assertTrue(qmp.awaitClose(Duration.ofSeconds(10)), "the server closes the connection after quit");
        }
        assertEquals(0, exit.get(30, TimeUnit.SECONDS), err.toString());
        assertFalse(Files.exists(socket), "the QMP socket is removed when bin/vmm exits");
        assertEquals(descriptorsBefore, HostThreads.kvmDescriptors(), "KVM and guest RAM descriptors left open");
        awaitNoThreadNamed(List.of("vcpu-", "vm-control", "vert.x-"));
    }

    private static List<String> eventNames(QmpTestClient qmp) {
        return qmp.events().stream().map(e -> e.get("event").asText()).toList();
    }

    private static void awaitConsole(ByteArrayOutputStream out, ByteArrayOutputStream err, int times)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (count(out.toString(), BANNER) < times) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("console did not show the banner " + times + " times: " + out + "; stderr: " + err);
            }
            Thread.sleep(5);
        }
    }

    private static int count(String all, String text) {
        int n = 0;
        for (int i = all.indexOf(text); i >= 0; i = all.indexOf(text, i + 1)) {
            n++;
        }
        return n;
    }

    private static void awaitNoThreadNamed(List<String> prefixes) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> alive;
        do {
            alive = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                    .filter(n -> prefixes.stream().anyMatch(n::startsWith)).toList();
            if (alive.isEmpty()) {
                return;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("threads left running after bin/vmm returned: " + alive);
    }

}
