/**
 * The KVM userspace ABI as Java memory layouts and numbers: one final class per kernel struct of
 * linux/kvm.h and asm/kvm.h (x86_64), plus the ioctl request numbers ({@link dev.jvmm.kvm.sys.KvmIoctls}),
 * exit reasons ({@link dev.jvmm.kvm.sys.KvmExit}), capabilities ({@link dev.jvmm.kvm.sys.KvmCaps}) and
 * in-struct flags ({@link dev.jvmm.kvm.sys.KvmConstants}). This is a {@code sys} package: it uses
 * {@code java.lang.foreign} and nothing outside a {@code sys} package may see its types.
 *
 * <p>Each struct class has
 * <ul>
 *   <li>{@code LAYOUT}, a {@code StructLayout} named after the C struct tag, whose members carry the
 *       header's field names in the header's order, with the compiler's implicit padding written out as
 *       padding layouts and the header's own {@code pad} fields as named arrays;</li>
 *   <li>one {@code VarHandle} per field the VMM touches, named as the field in upper case
 *       ({@code slot} is {@code SLOT}; a field inside a {@code kvm_run} exit member is prefixed with it:
 *       {@code io.port} is {@code IO_PORT}), taking just the struct's segment (array fields also an index);</li>
 *   <li>typed static accessors ({@code slot(s)}, {@code setSlot(s, v)}): {@code __u8}/{@code __u16} read as
 *       zero-extended {@code int}s and are range-checked on write; {@code __u32} and {@code __u64} are the
 *       bit patterns in {@code int} and {@code long};</li>
 *   <li>for structs ending in a flexible array ({@code kvm_cpuid2}, {@code kvm_msrs}, {@code kvm_msr_list},
 *       {@code kvm_irq_routing}, {@code kvm_signal_mask}): the array as a zero-length sequence, so
 *       {@code LAYOUT.byteSize()} equals C's {@code sizeof}, an {@code allocate(arena, n)} that also stores the
 *       count, and an {@code entry(s, i)} slice.</li>
 * </ul>
 *
 * <p>Anonymous C unions are unnamed union layouts, selected with
 * {@link dev.jvmm.kvm.sys.Layouts#anonymous}; C paths simply omit them ({@code kvm_run.io.port}).
 *
 * <p>Invariant, enforced by {@code KvmAbiTest}: for every struct class, {@code sizeof}, {@code _Alignof},
 * and the offset and size of every named member (recursively, through nested structs, unions and array
 * element 0) equal what gcc computes from the installed uapi headers, and every constant in
 * {@code Ioctl}, {@code KvmIoctls}, {@code KvmExit}, {@code KvmCaps} and {@code KvmConstants} equals the C macro
 * of the same name. Ioctl numbers are derived from the layouts, so a layout error also shows as a wrong
 * request number.
 */
package dev.jvmm.kvm.sys;
