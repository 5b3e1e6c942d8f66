package dev.jvmm.testhost;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The exit statistics {@code bin/vmm -stats PATH} wrote when its VM run ended (see vmm-core's
 * {@code ExitStats}), with the questions the device-assignment tests ask of them.
 */
record ExitCounts(JsonObject json) {

    /** One bus range registration and the exits it served; {@code msix} when it traps an MSI-X table or PBA. */
    record Range(String name, long base, long length, long reads, long writes) {
        long total() {
            return reads + writes;
        }

        boolean msix() {
            return name.contains("(MSI-X");
        }
    }

    /** A BAR of a PCI function as the guest left it. */
    record Bar(String function, int index, long address, long size, boolean decoding) {
        @Override
        public String toString() {
            return function + " BAR" + index + " [0x" + Long.toHexString(address) + ", +0x" + Long.toHexString(size) + ")";
        }
    }

    static ExitCounts read(Path file) {
        try {
            return new ExitCounts(new JsonObject(Files.readString(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("bin/vmm left no exit statistics at " + file, e);
        }
    }

    /** How long after bin/vmm started its first vCPU entered KVM_RUN, in ms, when the VMM could tell. */
    OptionalLong firstKvmRunMillis() {
        JsonObject startup = json.getJsonObject("startup");
        Long ms = startup == null ? null : startup.getLong("first_kvm_run_ms");
        return ms == null || ms < 0 ? OptionalLong.empty() : OptionalLong.of(ms);
    }

    /** Exits by reason, summed over the vCPUs. */
    Map<String, Long> totals() {
        Map<String, Long> out = new TreeMap<>();
        json.getJsonObject("exits").forEach(e -> out.put(e.getKey(), ((Number) e.getValue()).longValue()));
        return out;
    }

    /** BAR {@code index} of the (only) assigned function, the one whose name starts with "vfio ". */
    Bar assignedBar(int index) {
        List<JsonObject> assigned = json.getJsonArray("pci").stream().map(JsonObject.class::cast)
                .filter(f -> f.getString("name").startsWith("vfio ")).toList();
        if (assigned.size() != 1) {
            throw new AssertionError("expected one assigned PCI function in the statistics, found " + assigned);
        }
        JsonObject f = assigned.getFirst();
        return f.getJsonArray("bars").stream().map(JsonObject.class::cast).filter(b -> b.getInteger("index") == index)
                .map(b -> new Bar(f.getString("name"), index, Long.decode(b.getString("address")), b.getLong("size"),
                        b.getBoolean("decoding")))
                .findFirst().orElseThrow(() -> new AssertionError(f.getString("name") + " has no BAR " + index + ": " + f));
    }

    /** Every MMIO bus range registration that overlaps {@code bar}. */
    List<Range> mmioWithin(Bar bar) {
        JsonArray ranges = json.getJsonObject("mmio").getJsonArray("ranges");
        return ranges.stream().map(JsonObject.class::cast)
                .map(r -> new Range(r.getString("name"), Long.decode(r.getString("base")), r.getLong("length"),
                        r.getLong("reads"), r.getLong("writes")))
                .filter(r -> r.base() < bar.address() + bar.size() && bar.address() < r.base() + r.length())
                .toList();
    }

    /** Unclaimed MMIO accesses by page, for the pages inside {@code bar}. */
    Map<Long, Long> unclaimedMmioPagesWithin(Bar bar) {
        Map<Long, Long> out = new TreeMap<>();
        json.getJsonObject("mmio").getJsonObject("unclaimed").getJsonObject("pages").forEach(e -> {
            long page = Long.decode(e.getKey());
            if (page + 4096 > bar.address() && page < bar.address() + bar.size()) {
                out.put(page, ((Number) e.getValue()).longValue());
            }
        });
        return out;
    }
}
