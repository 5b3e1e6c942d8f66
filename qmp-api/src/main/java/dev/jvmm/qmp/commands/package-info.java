/**
 * The QMP commands and events jvmm implements, as {@link dev.jvmm.qmp.dispatch.QmpCommand}s over a
 * {@link dev.jvmm.qmp.VmControl}: protocol commands ({@code qmp_capabilities}, {@code query-version},
 * {@code query-commands}), run-state commands ({@code query-status}, {@code stop}, {@code cont},
 * {@code system_reset}, {@code system_powerdown}, {@code quit}) and inventory queries ({@code query-pci},
 * {@code query-cpus-fast}); plus the JSON encoders for their results and for events.
 *
 * <p>Invariants: member names and shapes are QEMU's ({@code qapi/*.json}); optional members are left out
 * when absent, never sent as {@code null}; commands without a declared return value return {@code {}}.
 */
package dev.jvmm.qmp.commands;
