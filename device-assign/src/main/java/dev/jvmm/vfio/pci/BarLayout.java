package dev.jvmm.vfio.pci;

import dev.jvmm.vfio.config.BarKind;
import dev.jvmm.vfio.config.BarSpec;
import dev.jvmm.vfio.config.MsixTable;
import dev.jvmm.vfio.kernel.RegionInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * How one BAR reaches the device: which parts the guest accesses directly, through KVM memory slots over
 * the BAR's mmap'ed areas (no exits), and which are trapped (MMIO or port exits the VMM serves with
 * pread/pwrite, or with the emulated MSI-X table).
 *
 * <p>Direct pieces are whole pages inside an mmap-able area the kernel reported (the sparse-mmap
 * capability's areas, or the whole region), minus the pages holding the MSI-X table, which is always
 * emulated even when the kernel would let it be mapped ({@code VFIO_REGION_INFO_CAP_MSIX_MAPPABLE}). I/O
 * BARs, the expansion ROM and BARs smaller than a page are trapped whole. The trapped pieces are the rest
 * of the BAR, so direct and trapped pieces tile {@code [0, size)} without overlapping.
 */
record BarLayout(BarSpec bar, List<Direct> direct, List<Piece> trapped) {

    /** {@code [offset, offset + length)} of the BAR. */
    record Piece(long offset, long length) {
        long end() {
            return offset + length;
        }
    }

    /** A direct piece: BAR bytes {@code piece}, backed by mmap'ed area {@code area} at {@code areaOffset}. */
    record Direct(Piece piece, int area, long areaOffset) {}

    BarLayout {
        direct = List.copyOf(direct);
        trapped = List.copyOf(trapped);
    }

    static BarLayout of(BarSpec bar, RegionInfo region, Optional<MsixTable> msix, long page) {
        List<Direct> direct = new ArrayList<>();
        boolean mappable = (bar.kind() == BarKind.MEMORY32 || bar.kind() == BarKind.MEMORY64)
                && bar.size() >= page && region.size() == bar.size();
        if (mappable) {
            Piece carved = msix.filter(t -> t.tableBar() == bar.index())
                    .map(t -> new Piece(alignDown(t.tableOffset(), page),
                            alignUp(t.tableOffset() + t.tableSize(), page) - alignDown(t.tableOffset(), page)))
                    .orElse(null);
            List<RegionInfo.Area> areas = region.mmapAreas();
            for (int i = 0; i < areas.size(); i++) {
                RegionInfo.Area a = areas.get(i);
                if (a.offset() % page != 0 || a.size() % page != 0 || a.size() <= 0 || a.offset() < 0
                        || a.offset() + a.size() > bar.size()) {
                    continue; // not page-granular or outside the BAR: trap it
                }
                for (Piece p : minus(new Piece(a.offset(), a.size()), carved)) {
                    direct.add(new Direct(p, i, p.offset() - a.offset()));
                }
            }
        }
        direct.sort(Comparator.comparingLong(d -> d.piece().offset()));
        List<Piece> trapped = new ArrayList<>();
        long at = 0;
        for (Direct d : direct) {
            if (d.piece().offset() < at) {
                throw new IllegalStateException("the kernel reported overlapping mmap areas for BAR " + bar.index()
                        + ": " + region.mmapAreas());
            }
            if (d.piece().offset() > at) {
                trapped.add(new Piece(at, d.piece().offset() - at));
            }
            at = d.piece().end();
        }
        if (at < bar.size()) {
            trapped.add(new Piece(at, bar.size() - at));
        }
        return new BarLayout(bar, direct, trapped);
    }

    private static List<Piece> minus(Piece p, Piece hole) {
        if (hole == null || hole.end() <= p.offset() || hole.offset() >= p.end()) {
            return List.of(p);
        }
        List<Piece> out = new ArrayList<>();
        if (hole.offset() > p.offset()) {
            out.add(new Piece(p.offset(), hole.offset() - p.offset()));
        }
        if (hole.end() < p.end()) {
            out.add(new Piece(hole.end(), p.end() - hole.end()));
        }
        return out;
    }

    private static long alignDown(long v, long page) {
        return v - Math.floorMod(v, page);
    }

    private static long alignUp(long v, long page) {
        return alignDown(v + page - 1, page);
    }
}
