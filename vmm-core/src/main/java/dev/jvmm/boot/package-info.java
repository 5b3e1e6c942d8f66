/**
 * Direct boot of a 64-bit Linux kernel without firmware, as Firecracker, Cloud Hypervisor and kvmtool do
 * it: the VMM does what a boot loader and the BIOS would, then starts the boot vCPU at the kernel's
 * 64-bit entry point (Documentation/arch/x86/boot.rst, "64-bit Boot Protocol").
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link dev.jvmm.boot.BzImage} checks a bzImage's setup header (HdrS, boot flag, protocol ≥ 2.12,
 *       XLF_KERNEL_64, LOADED_HIGH) and splits off the protected-mode kernel; refusals are
 *       {@link dev.jvmm.boot.KernelImageException}s naming the file and the field.</li>
 *   <li>{@link dev.jvmm.boot.BootParams} encodes and decodes {@code struct boot_params} (the zero page) by
 *       byte offset, with the offsets named as in {@code arch/x86/include/uapi/asm/bootparam.h}.</li>
 *   <li>{@link dev.jvmm.boot.E820} derives the memory map from the {@link dev.jvmm.memory.GuestLayout}.</li>
 *   <li>{@link dev.jvmm.boot.LinuxLoader} places kernel, command line and initrd, and writes the zero page;
 *       misfits are {@link dev.jvmm.boot.BootSetupException}s that say which {@code -m} would work.</li>
 *   <li>{@link dev.jvmm.boot.PageTables}, {@link dev.jvmm.boot.BootGdt} and {@link dev.jvmm.boot.MpTable}
 *       write the CPU-side structures: identity map of 4 GiB, the boot GDT, the MP table.</li>
 * </ul>
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>All fixed placements are in {@link dev.jvmm.boot.LowMemory} and do not overlap each other; nothing is
 *       placed in [0x9fc00, 1 MiB) except the MP table and the ACPI tables
 *       ({@link dev.jvmm.boot.LowMemory#ACPI_TABLES}), and that range is reserved in e820.</li>
 *   <li>The kernel is never below 1 MiB, the command line never longer than the kernel's
 *       {@code cmdline_size}, the initrd page-aligned, above what the kernel uses while it starts
 *       ([runtime start, + init_size)) and ending at or below {@code initrd_addr_max} + 1 and the end of
 *       RAM below the PCI hole.</li>
 *   <li>A refused plan writes nothing to guest RAM.</li>
 *   <li>Encoders write only through {@link dev.jvmm.memory.sys.GuestRam}'s GPA methods; nothing here uses
 *       {@code java.lang.foreign}.</li>
 * </ul>
 */
package dev.jvmm.boot;
