/**
 * The address spaces a vCPU exit is dispatched on: port I/O (16-bit) and MMIO (64-bit).
 *
 * <p>Invariants: device ranges on one bus never overlap (registration fails naming both devices); an
 * access nobody claims reads as all-ones and a write to it is dropped, both counted and logged at a
 * limited rate, so a guest probing the address space can never crash the VMM. Exceptions a device throws
 * are host failures and propagate to the vCPU loop, which stops the VM with them.
 */
package dev.jvmm.bus;
