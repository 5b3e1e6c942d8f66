/**
 * The command line, in QEMU's spelling where it makes sense ({@code -kernel}, {@code -initrd},
 * {@code -append}, {@code -m}, {@code -smp}, {@code -serial}, {@code -device}, {@code -qmp}), parsed once
 * at the edge into a {@link dev.jvmm.cli.VmConfig}. Every bad input becomes a
 * {@link dev.jvmm.cli.ConfigException} whose message is the one line the user sees.
 */
package dev.jvmm.cli;
