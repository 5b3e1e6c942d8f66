package dev.jvmm.vmm;

import dev.jvmm.bus.Bus;
import dev.jvmm.kvm.VcpuRunner;
import dev.jvmm.pci.PciBar;
import dev.jvmm.pci.PciFunctionSummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one VM run cost in user-space exits, as JSON for the operator ({@code bin/vmm -stats PATH}):
 *
 * <pre>{@code
 * {"startup": {"first_kvm_run_ms": N},
 *  "vcpus": [{"id": 0, "runs": N, "exits": {"IO": N, "MMIO": N, "HLT": N, "NONE_EINTR": N, ...}}],
 *  "exits": {...the same summed over vCPUs...},
 *  "pio":  {"ranges": [{"name": "...", "base": "0x3f8", "length": 8, "reads": N, "writes": N,
 *                       "registered": true}, ...],
 *           "unclaimed": {"reads": N, "writes": N, "pages": {"0x...": N}}},
 *  "mmio": {...as pio...},
 *  "pci":  [{"address": "00:01.0", "name": "vfio 0000:00:01.0", "bars": [{"index": 0, "address": "0x...",
 *            "size": N, "decoding": true}]}]}
 * }</pre>
 *
 * {@code first_kvm_run_ms} is how long after the VMM's process started (the launcher's exec included) the
 * first vCPU entered KVM_RUN: for the first run, the VMM's own share of a boot, as against the guest's; for a
 * run after a reset it also covers the runs before. It is left out when no vCPU ran, and is -1 when the
 * process's start time is unknown.
 *
 * <p>Bus ranges are listed once per registration, unregistered ones included (a BAR the guest moved shows
 * at each place it was), so the counts cover the whole run. Exits a guest causes by touching a direct
 * (memory-slot) BAR page never reach user space and so appear nowhere: that is the point of them.
 */
public final class ExitStats {
    private ExitStats() {
    }

    /** The statistics of {@code vm} so far. */
    public static String json(LinuxVm vm) {
        List<VcpuRunner> runners = vm.runners();
        StringBuilder out = new StringBuilder("{\n");
        runners.stream().flatMap(r -> r.firstRun().stream()).min(Instant::compareTo).ifPresent(first -> out
                .append("  \"startup\": {\"first_kvm_run_ms\": ").append(sinceProcessStart(first)).append("},\n"));
        out.append("  \"vcpus\": [");
        for (int i = 0; i < runners.size(); i++) {
            VcpuRunner r = runners.get(i);
            out.append(i == 0 ? "\n" : ",\n").append("    {\"id\": ").append(r.vcpu().id()).append(", \"runs\": ")
                    .append(r.runCount()).append(", \"exits\": ").append(counts(r.exitCounts())).append('}');
        }
        Map<String, Long> total = runners.stream().flatMap(r -> r.exitCounts().entrySet().stream())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, Long::sum, java.util.TreeMap::new));
        out.append("\n  ],\n  \"exits\": ").append(counts(total)).append(",\n  \"pio\": ")
                .append(bus(vm.platform().pio())).append(",\n  \"mmio\": ").append(bus(vm.platform().mmio()))
                .append(",\n  \"pci\": [");
        List<PciFunctionSummary> functions = vm.platform().pci().summary();
        for (int i = 0; i < functions.size(); i++) {
            PciFunctionSummary f = functions.get(i);
            out.append(i == 0 ? "\n" : ",\n").append("    {\"address\": ")
                    .append(string(String.format("%02x:%02x.%x", f.address().bus(), f.address().device(),
                            f.address().function())))
                    .append(", \"name\": ").append(string(f.name())).append(", \"bars\": [");
            for (int b = 0; b < f.bars().size(); b++) {
                PciBar bar = f.bars().get(b);
                out.append(b == 0 ? "" : ", ").append("{\"index\": ").append(bar.index()).append(", \"type\": ")
                        .append(string(bar.type().name())).append(", \"address\": ").append(hex(bar.address()))
                        .append(", \"size\": ").append(bar.size()).append(", \"decoding\": ")
                        .append(bar.decoding().isPresent()).append('}');
            }
            out.append("]}");
        }
        return out.append("\n  ]\n}\n").toString();
    }

    /** Milliseconds from this process's start to {@code then}, or -1 when the start is unknown. */
    private static long sinceProcessStart(Instant then) {
        return ProcessHandle.current().info().startInstant().map(start -> Duration.between(start, then).toMillis())
                .orElse(-1L);
    }

    /** Writes {@link #json} to {@code path} (through a temporary file beside it, then renamed). */
    public static void write(Path path, LinuxVm vm) throws IOException {
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        Files.writeString(tmp, json(vm), StandardCharsets.UTF_8);
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String bus(Bus bus) {
        StringBuilder out = new StringBuilder("{\"ranges\": [");
        List<Bus.RangeExits> ranges = bus.exitCounts();
        for (int i = 0; i < ranges.size(); i++) {
            Bus.RangeExits r = ranges.get(i);
            out.append(i == 0 ? "\n" : ",\n").append("      {\"name\": ").append(string(r.name()))
                    .append(", \"base\": ").append(hex(r.base())).append(", \"length\": ").append(r.length())
                    .append(", \"reads\": ").append(r.reads()).append(", \"writes\": ").append(r.writes())
                    .append(", \"registered\": ").append(r.registered()).append('}');
        }
        out.append("\n    ],\n    \"unclaimed\": {\"reads\": ").append(bus.unclaimedReads()).append(", \"writes\": ")
                .append(bus.unclaimedWrites()).append(", \"pages\": {");
        String pages = bus.unclaimedPages().entrySet().stream()
                .map(e -> hex(e.getKey()) + ": " + e.getValue()).collect(Collectors.joining(", "));
        return out.append(pages).append("}}}").toString();
    }

    private static String counts(Map<String, Long> counts) {
        return counts.entrySet().stream().map(e -> string(e.getKey()) + ": " + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
    }

    private static String hex(long value) {
        return "\"0x" + Long.toHexString(value) + "\"";
    }

    /** A JSON string; device names are plain ASCII, but quote and control characters are escaped anyway. */
    private static String string(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
