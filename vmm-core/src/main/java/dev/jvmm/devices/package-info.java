/**
 * The legacy PC devices a Linux guest expects on port I/O: the 16550A UART for the console
 * ({@link dev.jvmm.devices.Serial16550}, COM1 at 0x3f8 on IRQ 4), the 8042 keyboard controller, which
 * Linux uses to reset the machine ({@link dev.jvmm.devices.I8042}, ports 0x60/0x64), and the fast-reset
 * port 0x92 ({@link dev.jvmm.devices.SystemControlPortA}).
 *
 * <p>Each is a {@link dev.jvmm.bus.BusDevice} registered on the port I/O {@link dev.jvmm.bus.Bus}. They
 * reach the rest of the VMM only through two small interfaces the VMM implements:
 * {@link dev.jvmm.devices.IrqLine} (a guest interrupt input: KVM_IRQ_LINE or an irqfd) and
 * {@link dev.jvmm.devices.ResetRequest} (the guest asked for a reboot).
 *
 * <p>Invariants: a guest can never make a device throw, whatever offset, size or value it uses;
 * accesses a device does not understand read as all-ones, are dropped, and are counted and logged at a
 * limited rate ({@link dev.jvmm.bus.GuestAccessLog}). Exceptions that do escape are host failures (the
 * console output stream failing) and stop the VM. Devices drive their IRQ line only when its level
 * changes, and do so under their lock so levels arrive in order. All devices are thread-safe.
 */
package dev.jvmm.devices;
