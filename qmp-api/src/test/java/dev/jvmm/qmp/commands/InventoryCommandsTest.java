package dev.jvmm.qmp.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jvmm.qmp.CpuInfo;
import dev.jvmm.qmp.CpuInstanceProperties;
import dev.jvmm.qmp.PciBridgeInfo;
import dev.jvmm.qmp.PciBusInfo;
import dev.jvmm.qmp.PciDeviceClass;
import dev.jvmm.qmp.PciDeviceId;
import dev.jvmm.qmp.PciDeviceInfo;
import dev.jvmm.qmp.PciInfo;
import dev.jvmm.qmp.PciMemoryRange;
import dev.jvmm.qmp.PciMemoryRegion;
import dev.jvmm.qmp.testing.FakeVm;
import dev.jvmm.qmp.testing.SessionHarness;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** query-pci and query-cpus-fast produce QEMU's shapes, through a session. */
class InventoryCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static PciDeviceInfo q35Function(int slot, int function, int classCode, String desc, int device,
            OptionalInt irq, int pin, List<PciMemoryRegion> regions) {
        return new PciDeviceInfo(0, slot, function, new PciDeviceClass(classCode, Optional.of(desc)),
                new PciDeviceId(0x8086, device, OptionalInt.of(0x1af4), OptionalInt.of(0x1100)), irq, pin, "",
                Optional.empty(), regions);
    }

    @Test
    void queryPciHasQemusNestedShapeWithDecimalIds() throws Exception {
        // q35 -nodefaults before firmware (QMP-FACTS section 9), plus a root port with one device behind it.
        PciDeviceInfo behindPort = new PciDeviceInfo(1, 0, 0, new PciDeviceClass(0x0108, Optional.empty()),
                new PciDeviceId(0x1b36, 0x0010, OptionalInt.empty(), OptionalInt.empty()), OptionalInt.empty(), 1,
                "nvme0", Optional.empty(), List.of(new PciMemoryRegion.Memory(0, PciMemoryRegion.UNASSIGNED, 0x4000, false, true)));
        PciDeviceInfo rootPort = new PciDeviceInfo(0, 2, 0, new PciDeviceClass(0x0604, Optional.of("PCI bridge")),
                new PciDeviceId(0x1b36, 0x000c, OptionalInt.empty(), OptionalInt.empty()), OptionalInt.empty(), 1, "rp1",
                Optional.of(new PciBridgeInfo(new PciBusInfo(0, 1, 1, new PciMemoryRange(0x1000, 0x1fff),
                        new PciMemoryRange(0xfe000000L, 0xfe1fffffL), new PciMemoryRange(-1, 0)), Optional.of(List.of(behindPort)))),
                List.of());
        List<PciInfo> pci = List.of(new PciInfo(0, List.of(
                q35Function(0, 0, 0x0600, "Host bridge", 0x29c0, OptionalInt.empty(), 0, List.of()),
                rootPort,
                q35Function(0x1f, 0, 0x0601, "ISA bridge", 0x2918, OptionalInt.empty(), 0, List.of()),
                q35Function(0x1f, 2, 0x0106, "SATA controller", 0x2922, OptionalInt.of(10), 1, List.of(
                        new PciMemoryRegion.Io(4, PciMemoryRegion.UNASSIGNED, 32),
                        new PciMemoryRegion.Memory(5, PciMemoryRegion.UNASSIGNED, 4096, false, false))))));
        try (SessionHarness h = SessionHarness.negotiated(new FakeVm())) {
            h.vm.setPci(pci);
            h.send("{\"execute\":\"query-pci\",\"id\":1}");
            JsonNode reply = h.next();
            JsonNode expected = JSON.readTree("""
                [{"bus":0,"devices":[
                  {"bus":0,"slot":0,"function":0,"class_info":{"class":1536,"desc":"Host bridge"},
                   "id":{"device":10688,"vendor":32902,"subsystem":4352,"subsystem-vendor":6900},
                   "irq_pin":0,"qdev_id":"","regions":[]},
                  {"bus":0,"slot":2,"function":0,"class_info":{"class":1540,"desc":"PCI bridge"},
                   "id":{"device":12,"vendor":6966},"irq_pin":1,"qdev_id":"rp1",
                   "pci_bridge":{"bus":{"number":0,"secondary":1,"subordinate":1,
                       "io_range":{"base":4096,"limit":8191},
                       "memory_range":{"base":4261412864,"limit":4263510015},
                       "prefetchable_range":{"base":-1,"limit":0}},
                     "devices":[{"bus":1,"slot":0,"function":0,"class_info":{"class":264},
                       "id":{"device":16,"vendor":6966},"irq_pin":1,"qdev_id":"nvme0",
                       "regions":[{"bar":0,"type":"memory","address":-1,"size":16384,"prefetch":false,"mem_type_64":true}]}]},
                   "regions":[]},
                  {"bus":0,"slot":31,"function":0,"class_info":{"class":1537,"desc":"ISA bridge"},
                   "id":{"device":10520,"vendor":32902,"subsystem":4352,"subsystem-vendor":6900},
                   "irq_pin":0,"qdev_id":"","regions":[]},
                  {"bus":0,"slot":31,"function":2,"class_info":{"class":262,"desc":"SATA controller"},
                   "id":{"device":10530,"vendor":32902,"subsystem":4352,"subsystem-vendor":6900},
                   "irq":10,"irq_pin":1,"qdev_id":"","regions":[
                     {"bar":4,"type":"io","address":-1,"size":32},
                     {"bar":5,"type":"memory","address":-1,"size":4096,"prefetch":false,"mem_type_64":false}]}]}]""");
            assertEquals(expected, reply.get("return"));
            // Member order follows QEMU's schema.
            List<String> order = new java.util.ArrayList<>();
            reply.get("return").get(0).get("devices").get(3).fieldNames().forEachRemaining(order::add);
            assertEquals(List.of("bus", "slot", "function", "class_info", "id", "irq", "irq_pin", "qdev_id", "regions"), order);
        }
    }

    @Test
    void queryCpusFastListsEveryVcpu() throws Exception {
        try (SessionHarness h = SessionHarness.negotiated(new FakeVm())) {
            h.vm.setCpus(List.of(
                    new CpuInfo(0, "/machine/unattached/device[0]", 4242, Optional.of(CpuInstanceProperties.of(0, 0, 0)), CpuInfo.X86_64),
                    new CpuInfo(1, "/machine/unattached/device[1]", 4243, Optional.empty(), CpuInfo.X86_64)));
            h.send("{\"execute\":\"query-cpus-fast\"}");
            assertEquals(JSON.readTree("""
                {"return":[
                  {"cpu-index":0,"qom-path":"/machine/unattached/device[0]","thread-id":4242,
                   "props":{"socket-id":0,"core-id":0,"thread-id":0},"target":"x86_64"},
                  {"cpu-index":1,"qom-path":"/machine/unattached/device[1]","thread-id":4243,"target":"x86_64"}]}"""),
                    h.next());
        }
    }
}
