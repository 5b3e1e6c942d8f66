package dev.jvmm.qmp.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jvmm.qmp.CpuInfo;
import dev.jvmm.qmp.CpuInstanceProperties;
import dev.jvmm.qmp.PciBridgeInfo;
import dev.jvmm.qmp.PciBusInfo;
import dev.jvmm.qmp.PciDeviceInfo;
import dev.jvmm.qmp.PciInfo;
import dev.jvmm.qmp.PciMemoryRange;
import dev.jvmm.qmp.PciMemoryRegion;
import dev.jvmm.qmp.VmControl;
import dev.jvmm.qmp.dispatch.NoArguments;
import dev.jvmm.qmp.dispatch.QmpCommand;
import java.util.List;
import java.util.OptionalInt;

/**
 * Inventory queries: {@code query-pci} (QEMU's nested {@code PciInfo} shape, IDs and class in decimal,
 * optional members left out when absent) and {@code query-cpus-fast} ({@code CpuInfoFast}).
 */
final class InventoryCommands {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private InventoryCommands() {
    }

    static List<QmpCommand<?>> all(VmControl vm) {
        return List.of(
                QmpCommand.of("query-pci", NoArguments.class, (args, ctx) -> vm.queryPci().thenApply(InventoryCommands::pci)),
                QmpCommand.of("query-cpus-fast", NoArguments.class,
                        (args, ctx) -> vm.queryCpus().thenApply(InventoryCommands::cpus)));
    }

    static ArrayNode pci(List<PciInfo> buses) {
        ArrayNode out = NODES.arrayNode();
        for (PciInfo bus : buses) {
            ObjectNode b = out.addObject();
            b.put("bus", bus.bus());
            b.set("devices", devices(bus.devices()));
        }
        return out;
    }

    private static ArrayNode devices(List<PciDeviceInfo> devices) {
        ArrayNode out = NODES.arrayNode();
        for (PciDeviceInfo d : devices) {
            ObjectNode o = out.addObject();
            o.put("bus", d.bus());
            o.put("slot", d.slot());
            o.put("function", d.function());
            ObjectNode classInfo = o.putObject("class_info");
            classInfo.put("class", d.classInfo().classCode());
            d.classInfo().description().ifPresent(desc -> classInfo.put("desc", desc));
            ObjectNode id = o.putObject("id");
            id.put("device", d.id().device());
            id.put("vendor", d.id().vendor());
            putIfPresent(id, "subsystem", d.id().subsystem());
            putIfPresent(id, "subsystem-vendor", d.id().subsystemVendor());
            putIfPresent(o, "irq", d.irq());
            o.put("irq_pin", d.irqPin());
            o.put("qdev_id", d.qdevId());
            d.bridge().ifPresent(bridge -> o.set("pci_bridge", bridge(bridge)));
            ArrayNode regions = o.putArray("regions");
            d.regions().forEach(r -> regions.add(region(r)));
        }
        return out;
    }

    private static ObjectNode bridge(PciBridgeInfo bridge) {
        ObjectNode o = NODES.objectNode();
        PciBusInfo bus = bridge.bus();
        ObjectNode b = o.putObject("bus");
        b.put("number", bus.number());
        b.put("secondary", bus.secondary());
        b.put("subordinate", bus.subordinate());
        b.set("io_range", range(bus.ioRange()));
        b.set("memory_range", range(bus.memoryRange()));
        b.set("prefetchable_range", range(bus.prefetchableRange()));
        bridge.devices().ifPresent(devices -> o.set("devices", devices(devices)));
        return o;
    }

    private static ObjectNode range(PciMemoryRange range) {
        ObjectNode o = NODES.objectNode();
        o.put("base", range.base());
        o.put("limit", range.limit());
        return o;
    }

    private static ObjectNode region(PciMemoryRegion region) {
        ObjectNode o = NODES.objectNode();
        o.put("bar", region.bar());
        switch (region) {
            case PciMemoryRegion.Io io -> {
                o.put("type", "io");
                o.put("address", io.address());
                o.put("size", io.size());
            }
            case PciMemoryRegion.Memory mem -> {
                o.put("type", "memory");
                o.put("address", mem.address());
                o.put("size", mem.size());
                o.put("prefetch", mem.prefetchable());
                o.put("mem_type_64", mem.is64Bit());
            }
        }
        return o;
    }

    static ArrayNode cpus(List<CpuInfo> cpus) {
        ArrayNode out = NODES.arrayNode();
        for (CpuInfo cpu : cpus) {
            ObjectNode o = out.addObject();
            o.put("cpu-index", cpu.cpuIndex());
            o.put("qom-path", cpu.qomPath());
            o.put("thread-id", cpu.threadId());
            cpu.props().ifPresent(p -> o.set("props", props(p)));
            o.put("target", cpu.target());
        }
        return out;
    }

    private static ObjectNode props(CpuInstanceProperties p) {
        ObjectNode o = NODES.objectNode();
        putIfPresent(o, "node-id", p.nodeId());
        putIfPresent(o, "socket-id", p.socketId());
        putIfPresent(o, "die-id", p.dieId());
        putIfPresent(o, "cluster-id", p.clusterId());
        putIfPresent(o, "core-id", p.coreId());
        putIfPresent(o, "thread-id", p.threadId());
        return o;
    }

    private static void putIfPresent(ObjectNode o, String name, OptionalInt value) {
        value.ifPresent(v -> o.put(name, v));
    }
}
