package dev.jvmm.boot;

import dev.jvmm.memory.Gpa;
import dev.jvmm.memory.GpaRange;
import dev.jvmm.memory.GuestLayout;
import dev.jvmm.memory.sys.GuestRam;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Loads a bzImage, its command line and an initrd into guest RAM for the 64-bit boot protocol, and
 * writes the zero page, the way Firecracker, Cloud Hypervisor and kvmtool boot Linux without firmware.
 *
 * <p>Placement (see {@link LowMemory} for the fixed low-memory addresses):
 * <ul>
 *   <li>kernel: at 1 MiB; a relocatable kernel instead at {@code pref_address} rounded up to
 *       {@code kernel_alignment} (never below 1 MiB). A relocatable kernel never runs below
 *       {@code pref_address} anyway (its decompressor moves it there), so loading it there spares the
 *       move and leaves one contiguous block [load, load + init_size) in use. A non-relocatable kernel
 *       is loaded at 1 MiB and moves itself to {@code pref_address};</li>
 *   <li>command line: at 0x20000, NUL-terminated, at most {@code cmdline_size} bytes before the NUL;</li>
 *   <li>initrd: at the highest page-aligned address where it ends at or below
 *       min({@code initrd_addr_max} + 1, end of RAM below 3 GiB), and never below the end of what the
 *       kernel uses while it starts ({@link BootSetup#kernelInit()}).</li>
 * </ul>
 * {@link #plan} computes and checks all of it without touching memory, so a configuration can be refused
 * before guest RAM exists; {@link #load} plans, then writes.
 */
public final class LinuxLoader {
    static final long PAGE = 4096;
    /**
     * heap_end_ptr: end of the real-mode setup heap minus 0x200, as boot.rst's sample loader sets it
     * (heap end 0xe000). The 64-bit entry skips the real-mode code; the value only keeps the header sane.
     */
    public static final int HEAP_END_PTR = 0xe000 - 0x200;
    private static final long FOUR_GIB = 1L << 32;

    private LinuxLoader() {
    }

    /** {@link #load(GuestRam, BzImage, String, Optional)} without an initrd. */
    public static BootSetup load(GuestRam ram, BzImage kernel, String cmdline) {
        return load(ram, kernel, cmdline, Optional.empty());
    }

    /**
     * Places {@code kernel}, {@code cmdline} and {@code initrd} in {@code ram} and writes the zero page.
     * Nothing is written when the plan is refused.
     *
     * @throws BootSetupException when they do not fit (the message says what -m would do) or the command
     *     line is longer than the kernel takes
     */
    public static BootSetup load(GuestRam ram, BzImage kernel, String cmdline, Optional<Initrd> initrd) {
        return load(ram, kernel, cmdline, initrd, Optional.empty());
    }

    /**
     * As {@link #load(GuestRam, BzImage, String, Optional)}, and when {@code acpiRsdp} is present the zero
     * page's {@code acpi_rsdp_addr} points the kernel at the ACPI tables (it would find them by scanning
     * the BIOS area anyway; protocol 2.14 and later read the field).
     */
    public static BootSetup load(GuestRam ram, BzImage kernel, String cmdline, Optional<Initrd> initrd,
            Optional<Gpa> acpiRsdp) {
        BootSetup setup = plan(ram.layout(), kernel, cmdline, initrd.map(Initrd::size).orElse(0L));
        ram.write(setup.kernel().start(), kernel.payload());
        ram.write(setup.cmdline().start(), Arrays.copyOf(cmdlineBytes(kernel, cmdline), (int) setup.cmdline().length()));
        initrd.ifPresent(i -> ram.write(setup.initrd().orElseThrow().start(), i.bytes()));
        BootParams params = zeroPage(kernel, setup);
        acpiRsdp.ifPresent(params::setAcpiRsdpAddr);
        ram.write(setup.zeroPage(), params.toBytes());
        return setup;
    }

    /**
     * Where everything goes for {@code layout}, without writing: the checks of {@link #load}.
     *
     * @param initrdBytes size of the initrd, 0 for none
     */
    public static BootSetup plan(GuestLayout layout, BzImage kernel, String cmdline, long initrdBytes) {
        if (initrdBytes < 0) {
            throw new IllegalArgumentException("initrd size must be 0 (none) or positive, got " + initrdBytes);
        }
        byte[] cmd = cmdlineBytes(kernel, cmdline);
        long lowEnd = E820.lowRamEnd(layout).value();
        KernelPlacement k = placeKernel(kernel);
        GpaRange kernelInit = k.init();
        long floor = kernelInit.end().alignUp(PAGE).value();
        long need = floor + Gpa.of(initrdBytes).alignUp(PAGE).value();
        if (initrdBytes > 0 && need > kernel.initrdAddrMax() + 1) {
            throw new BootSetupException("initrd of " + Sizes.size(initrdBytes) + " does not fit between the end of "
                    + "kernel " + kernel.name() + " at " + Sizes.hex(floor) + " and its initrd_addr_max "
                    + Sizes.hex(kernel.initrdAddrMax()) + ": use an initrd of at most "
                    + Sizes.size(Math.max(0, kernel.initrdAddrMax() + 1 - floor) & -PAGE));
        }
        if (kernelInit.end().value() > lowEnd) {
            String where = "loaded at " + Sizes.hex(k.image().start().value()) + ", "
                    + Sizes.size(kernel.payloadSize())
                    + (k.runtime() != k.image().start().value() ? ", runs at " + Sizes.hex(k.runtime()) : "")
                    + ", init_size " + Sizes.hex(kernel.initSize());
            throw new BootSetupException("kernel " + kernel.name() + " needs RAM up to "
                    + Sizes.hex(kernelInit.end().value()) + " ("
                    + where + ") but RAM below the PCI hole ends at " + Sizes.hex(lowEnd) + " with "
                    + Sizes.size(layout.totalRam()) + " RAM: " + moreRam(need)
                    + (initrdBytes > 0 ? " (kernel and the " + Sizes.size(initrdBytes) + " initrd)" : ""));
        }
        Optional<GpaRange> initrd = Optional.empty();
        if (initrdBytes > 0) {
            long limit = Math.min(kernel.initrdAddrMax() + 1, lowEnd);
            long start = initrdBytes <= limit ? Gpa.of(limit - initrdBytes).alignDown(PAGE).value() : -1;
            if (start < floor) {
                throw new BootSetupException("initrd of " + Sizes.size(initrdBytes) + " does not fit below "
                        + Sizes.hex(limit) + " with " + Sizes.size(layout.totalRam()) + " RAM (the kernel uses RAM up "
                        + "to " + Sizes.hex(floor) + "): " + moreRam(need));
            }
            initrd = Optional.of(GpaRange.of(Gpa.of(start), initrdBytes));
        }
        return new BootSetup(k.image().start().plus(BzImage.ENTRY_64_OFFSET), LowMemory.ZERO_PAGE,
                LowMemory.STACK_TOP, k.image(), kernelInit, GpaRange.of(LowMemory.CMDLINE, cmd.length + 1L), initrd,
                E820.forLayout(layout), LowMemory.PML4, LowMemory.GDT, LowMemory.MP_TABLE);
    }

    /**
     * Where the kernel image goes, the address it runs from, and everything it uses while starting: the
     * image and [runtime, runtime + init_size), joined.
     */
    private record KernelPlacement(GpaRange image, long runtime, GpaRange init) {
    }

    private static KernelPlacement placeKernel(BzImage kernel) {
        long min = LowMemory.KERNEL_MIN.value();
        long pref = kernel.prefAddress();
        if (Long.compareUnsigned(pref, FOUR_GIB) >= 0) {
            throw new KernelImageException(kernel.name(), "pref_address", "pref_address " + Sizes.hex(pref)
                    + " is above 4 GiB; this loader places the kernel in RAM below 3 GiB — pass a kernel built "
                    + "with CONFIG_PHYSICAL_START below 3 GiB");
        }
        long load;
        long runtime;
        if (kernel.relocatable()) {
            load = Gpa.of(Math.max(min, pref)).alignUp(kernel.kernelAlignment()).value();
            runtime = load;
        } else {
            if (pref != 0 && pref < min) {
                throw new KernelImageException(kernel.name(), "pref_address", "non-relocatable kernel runs at "
                        + "pref_address " + Sizes.hex(pref) + ", below 1 MiB, where the zero page and page tables "
                        + "live — pass a relocatable kernel or one built with CONFIG_PHYSICAL_START ≥ 1 MiB");
            }
            load = min;
            runtime = pref == 0 ? load : pref;
        }
        long payload = kernel.payloadSize();
        long start = Math.min(load, runtime);
        long end = Math.max(load + payload, runtime + kernel.initSize());
        return new KernelPlacement(GpaRange.of(Gpa.of(load), payload), runtime, GpaRange.of(Gpa.of(start), end - start));
    }

    private static String moreRam(long lowRamNeeded) {
        if (lowRamNeeded > layoutLowRamMax()) {
            return "no RAM size helps, it must fit below the PCI hole at 3 GiB";
        }
        return "give -m at least " + Sizes.mibCeil(lowRamNeeded) + " MiB";
    }

    private static long layoutLowRamMax() {
        return GuestLayout.PCI_HOLE.start().value();
    }

    /** The command line as bytes without the NUL, checked against cmdline_size and the room at 0x20000. */
    static byte[] cmdlineBytes(BzImage kernel, String cmdline) {
        if (cmdline.indexOf('\0') >= 0) {
            throw new BootSetupException("kernel command line contains a NUL character at index "
                    + cmdline.indexOf('\0') + "; the kernel would ignore everything after it: remove it");
        }
        byte[] bytes = cmdline.getBytes(StandardCharsets.UTF_8);
        long room = LowMemory.MP_TABLE.offsetFrom(LowMemory.CMDLINE) - 1;
        long max = Math.min(kernel.cmdlineSize(), room);
        if (bytes.length > max) {
            String limit = max == kernel.cmdlineSize()
                    ? "kernel " + kernel.name() + " takes at most cmdline_size = " + max + " bytes"
                    : "the command line area [0x20000, 0x9fc00) holds at most " + max + " bytes";
            throw new BootSetupException("kernel command line is " + bytes.length + " bytes; " + limit
                    + " (without the terminating NUL): shorten it");
        }
        return bytes;
    }

    /** The zero page for {@code kernel} placed as {@code setup} says. */
    static BootParams zeroPage(BzImage kernel, BootSetup setup) {
        BootParams params = BootParams.withSetupHeader(kernel.setupHeader())
                .setTypeOfLoader(BootParams.LOADER_TYPE_UNDEFINED)
                .setLoadflags(kernel.loadflags() | BootParams.LOADED_HIGH | BootParams.CAN_USE_HEAP)
                .setHeapEndPtr(HEAP_END_PTR)
                .setCode32Start(setup.kernel().start().value())
                .setCmdLinePtr(setup.cmdline().start())
                .setE820(setup.e820());
        setup.initrd().ifPresent(r -> params.setRamdisk(r.start(), r.length()));
        return params;
    }
}
