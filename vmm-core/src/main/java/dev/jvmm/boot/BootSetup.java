package dev.jvmm.boot;

import dev.jvmm.memory.Gpa;
import dev.jvmm.memory.GpaRange;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where {@link LinuxLoader} put everything, and what the boot vCPU needs: RIP = {@code entryPoint},
 * RSI = {@code zeroPage}, RSP = {@code stackPointer}, in 64-bit mode with CS = 0x10 and DS/ES/SS = 0x18
 * from the GDT at {@code gdt} and paging through {@code pageTables} (CR3). The caller builds those two
 * with {@link BootGdt#write} and {@link PageTables#write}, and the MP table at {@code mpTable} with
 * {@link MpTable#write} (it knows the vCPU count).
 *
 * @param entryPoint 64-bit entry: load address + 0x200
 * @param zeroPage struct boot_params
 * @param stackPointer initial RSP, 16-byte aligned below nothing else in use
 * @param kernel the protected-mode kernel as copied into RAM
 * @param kernelInit what the kernel uses while it starts: from its runtime address for init_size bytes,
 *     joined with {@code kernel}; nothing else is placed here
 * @param cmdline the command line with its terminating NUL
 * @param initrd where the initrd was placed, if any
 * @param e820 the memory map written to the zero page
 * @param pageTables the PML4 (the CR3 value)
 * @param gdt the GDT base
 * @param mpTable the MP floating pointer
 */
public record BootSetup(Gpa entryPoint, Gpa zeroPage, Gpa stackPointer, GpaRange kernel, GpaRange kernelInit,
                        GpaRange cmdline, Optional<GpaRange> initrd, List<E820Entry> e820, Gpa pageTables,
                        Gpa gdt, Gpa mpTable) {

    public BootSetup {
        Objects.requireNonNull(initrd, "initrd");
        e820 = List.copyOf(e820);
    }
}
