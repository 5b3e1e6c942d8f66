package dev.jvmm.testhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What {@code bin/vmm -device vfio-pci,...} says on L1's real VFIO when it cannot assign the device, one
 * line each, and what it leaves behind when it ends: nothing the next VMM would trip over.
 *
 * <p>The host facts each expected message names (vendor and device IDs, drivers, IOMMU groups) are read
 * from L1's sysfs, not assumed.
 */
@Tag("l1")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JvmmAssignmentErrorsTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final int MEMORY_MIB = 128;

    private TestHost host;
    private JvmmL2Vmm vmm;
    private VfioBinding nvme;
    private List<HostFunction> functions;

    /** One PCI function of L1 as sysfs shows it. */
    record HostFunction(String bdf, String vendor, String device, String driver, String group) {
        /** {@code 1b36:0010}, as the VMM prints IDs. */
        String ids() {
            return vendor.replace("0x", "") + ":" + device.replace("0x", "");
        }
    }

    @BeforeAll
    void startHost() {
        vmm = JvmmL2Vmm.ofThisProject();
        host = TestHost.start("jvmm-assign-errors", TestHostOptions.defaults().withDevices(EmulatedDevice.NVME));
        nvme = host.bindToVfio(EmulatedDevice.NVME);
        String listing = host.exec("""
                for d in /sys/bus/pci/devices/*; do
                  drv=$(basename "$(readlink "$d/driver" 2>/dev/null || echo none)")
                  grp=$(basename "$(readlink "$d/iommu_group" 2>/dev/null || echo none)")
                  echo "FN ${d##*/} $(cat "$d/vendor") $(cat "$d/device") $drv $grp"
                done
                """, Duration.ofSeconds(60)).requireSuccess().output();
        functions = listing.lines().filter(l -> l.startsWith("FN ")).map(l -> l.split(" "))
                .map(f -> new HostFunction(f[1], f[2], f[3], f[4], f[5])).toList();
        functions.forEach(f -> System.out.println("L1 PCI " + f));
    }

    @AfterAll
    void removeHost() {
        if (host != null) {
            host.close();
        }
    }

    /** The shell command that boots a small L2 with {@code device} assigned, its console in a fresh log. */
    private String command(JvmmL2Vmm with, L2Test test, String device) {
        L2Launch launch = host.l2Launch(test, Optional.of(PciAddress.parse(device))).withMemoryMib(MEMORY_MIB)
                .withConsoleLog(L1Machine.L1_RUN + "/" + host.newL2Log(with, test.param()));
        return with.command(launch);
    }

    /** The VMM's "jvmm: " lines of {@code run}'s output. */
    private static List<String> jvmmLines(ExecResult run) {
        return run.output().lines().filter(l -> l.startsWith("jvmm: ")).toList();
    }

    private void assertRefused(ExecResult run, String expected) {
        assertEquals(1, run.exitCode(), run.output());
        assertEquals(List.of(expected), jvmmLines(run), run.output());
        assertFalse(run.output().contains("\tat "), "a stack trace reached the user:\n" + run.output());
    }

    @Test
    @Order(1)
    void aDeviceThatDoesNotExist() {
        String absent = "0000:00:1e.7";
        assertTrue(functions.stream().noneMatch(f -> f.bdf().equals(absent)), functions.toString());

        ExecResult run = host.exec(command(vmm, L2Test.BOOT, absent), TIMEOUT);

        assertRefused(run, "jvmm: -device vfio-pci: no PCI device " + absent
                + ". Fix: see lspci -D for the devices this host has");
    }

    @Test
    @Order(2)
    void aDeviceBoundToAnotherDriver() {
        // L1's own virtio devices (its 9p shares) are bound to virtio-pci: asking for one must not touch it.
        HostFunction virtio = functions.stream().filter(f -> f.driver().equals("virtio-pci")).findFirst()
                .orElseThrow(() -> new AssertionError("no L1 function is bound to virtio-pci: " + functions));

        ExecResult run = host.exec(command(vmm, L2Test.BOOT, virtio.bdf()), TIMEOUT);

        String b = virtio.bdf();
        assertRefused(run, "jvmm: -device vfio-pci: device " + b + " (" + virtio.ids() + ") is bound to virtio-pci,"
                + " not vfio-pci. Fix: echo " + b + " > /sys/bus/pci/devices/" + b + "/driver/unbind;"
                + " echo vfio-pci > /sys/bus/pci/devices/" + b + "/driver_override;"
                + " echo " + b + " > /sys/bus/pci/drivers_probe");
    }

    @Test
    @Order(3)
    void memlockTooLowWithoutCapIpcLock() {
        // Root has CAP_IPC_LOCK, which lifts RLIMIT_MEMLOCK for VFIO's pinning: drop it for this VMM.
        String limited = "ulimit -l 1024\nsetpriv --bounding-set=-ipc_lock --inh-caps=-ipc_lock env "
                + command(vmm, L2Test.BOOT, nvme.device().toString());

        ExecResult run = host.exec(limited, TIMEOUT);

        long bytes = (long) MEMORY_MIB << 20;
        assertRefused(run, "jvmm: -device vfio-pci: guest RAM must be pinned in memory for device DMA: " + MEMORY_MIB
                + " MiB (" + bytes + " bytes), but RLIMIT_MEMLOCK is 1048576 bytes. Fix: raise RLIMIT_MEMLOCK to at"
                + " least " + bytes + " bytes: ulimit -l " + (bytes >> 10) + " or run as root");
    }

    /**
     * A first VMM holds the NVMe (its guest waits for the power button); a second one asking for it is
     * refused; SIGTERM ends the first; then nothing in L1 holds the group any more and a third VMM
     * assigns the device again, maps guest RAM for DMA at the same IOVAs and passes the nvme-rw check.
     */
    @Test
    @Order(4)
    void aDeviceInUseIsRefusedAndReleasedCompletelyWhenItsVmmEnds() {
        String group = nvme.iommuGroup();
        String script = "holders() { for p in /proc/[0-9]*; do ls -l $p/fd 2>/dev/null | grep -q \" /dev/vfio/" + group
                + "$\" && echo ${p#/proc/}; done; }\n"
                + "( " + command(vmm, L2Test.QMP, nvme.device().toString()) + " ) > " + L1Machine.L1_RUN
                + "/first.out 2>&1 &\nfirst=$!\n"
                + "i=0; while [ -z \"$(holders)\" ] && [ $i -lt 600 ]; do sleep 0.2; i=$((i + 1)); done\n"
                + "pid=$(holders)\necho \"HOLDER $pid\"\n"
                + "for f in /proc/$pid/fd/*; do echo \"FIRST-FD $(readlink $f)\"; done\n"
                + "echo SECOND-START\n"
                + command(vmm, L2Test.BOOT, nvme.device().toString()).replace("\nexit $rc\n", "\n")
                + "echo \"SECOND-RC $rc\"\n"
                + "kill -TERM $pid\nwait $first\necho \"FIRST-RC $?\"\n"
                + "echo \"HOLDERS-AFTER $(holders | wc -l)\"\n";
        ExecResult run = host.exec(script, TIMEOUT);
        String out = run.output();

        List<String> fds = out.lines().filter(l -> l.startsWith("FIRST-FD ")).map(l -> l.substring(9)).toList();
        assertTrue(fds.contains("/dev/vfio/vfio"), "the first VMM holds no container: " + fds + "\n" + out);
        assertTrue(fds.contains("/dev/vfio/" + group), fds.toString());
        assertTrue(fds.contains("anon_inode:[vfio-device]"), "the first VMM holds no device fd: " + fds);
        String second = out.substring(out.indexOf("SECOND-START"));
        assertTrue(second.contains("SECOND-RC 1"), out);
        assertEquals(List.of("jvmm: -device vfio-pci: open (/dev/vfio/" + group + ") failed: EBUSY (16). Fix: IOMMU"
                        + " group " + group + " is in use by another process: find it with `lsof /dev/vfio/" + group + "`"),
                second.lines().filter(l -> l.startsWith("jvmm: ")).toList(), out);
        assertTrue(out.contains("FIRST-RC 0"), "SIGTERM did not end the first VMM cleanly:\n" + out);
        assertTrue(out.contains("HOLDERS-AFTER 0"), "a process still holds /dev/vfio/" + group + ":\n" + out);

        L2Result again = host.runL2(vmm, L2Test.NVME_RW, Optional.of(nvme.device()), TIMEOUT).assertPassed();
        assertEquals(0, again.vmm().exitCode(), again.failureReport());
        assertEquals("nvme", again.facts().get("driver"), again.failureReport());
        System.out.println("first VMM's fds, jars left out: "
                + Arrays.toString(fds.stream().filter(f -> !f.endsWith(".jar")).toArray()));
    }

    /**
     * q35's ICH9 functions (LPC, SATA, SMBus at 00:1f.x) share one IOMMU group and have no L1 driver. The
     * stock kernel's i2c-i801 module (loaded from the L2 kernel's module tree, which is L1's kernel) takes
     * the SMBus; the SATA function goes to vfio-pci; assigning it must name the SMBus and its driver.
     */
    @Test
    @Order(5)
    void aGroupWithAFunctionBoundToAHostDriverIsNotViable() {
        HostFunction sata = function(0x2922);
        HostFunction smbus = function(0x2930);
        assertEquals(sata.group(), smbus.group(), "SATA and SMBus are in different IOMMU groups: " + functions);
        String modules = host.images().l2Kernel().getParent().resolve("modules/lib/modules").toString();
        String setup = """
                set -e
                m=$(ls -d %1$s/*)/kernel/drivers/i2c
                grep -q '^i2c_smbus ' /proc/modules || insmod $m/i2c-smbus.ko
                grep -q '^i2c_i801 ' /proc/modules || insmod $m/busses/i2c-i801.ko
                echo "SMBUS-DRIVER $(basename "$(readlink /sys/bus/pci/devices/%2$s/driver)")"
                dev=/sys/bus/pci/devices/%3$s
                echo vfio-pci > $dev/driver_override
                echo %3$s > /sys/bus/pci/drivers_probe
                echo "SATA-DRIVER $(basename "$(readlink $dev/driver)")"
                """.formatted(modules, smbus.bdf(), sata.bdf());
        String out = host.exec(setup, Duration.ofSeconds(60)).requireSuccess().output();
        assertTrue(out.contains("SATA-DRIVER vfio-pci"), out);
        String driver = out.lines().filter(l -> l.startsWith("SMBUS-DRIVER ")).findFirst().orElseThrow().substring(13);
        assertEquals("i801_smbus", driver, out);

        ExecResult run = host.exec(command(vmm, L2Test.BOOT, sata.bdf()), TIMEOUT);

        String g = sata.group();
        String b = smbus.bdf();
        assertRefused(run, "jvmm: -device vfio-pci: IOMMU group " + g + " is not viable: VFIO needs every device in it"
                + " bound to vfio-pci or to no driver, since the IOMMU cannot isolate the devices of one group from each"
                + " other. Fix: " + b + " is bound to i801_smbus and shares IOMMU group " + g + ":"
                + " echo " + b + " > /sys/bus/pci/devices/" + b + "/driver/unbind;"
                + " echo vfio-pci > /sys/bus/pci/devices/" + b + "/driver_override;"
                + " echo " + b + " > /sys/bus/pci/drivers_probe");
    }

    private HostFunction function(int intelDevice) {
        String id = String.format("0x%04x", intelDevice);
        return functions.stream().filter(f -> f.vendor().equals("0x8086") && f.device().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("L1 has no 8086:" + id + ": " + functions));
    }
}
