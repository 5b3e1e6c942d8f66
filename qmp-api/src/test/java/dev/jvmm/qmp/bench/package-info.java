/**
 * Benchmarks of the QMP server. They print figures and are not tests (no class here ends in
 * {@code Test}); run them through the {@code bench} Maven profile of qmp-api.
 */
package dev.jvmm.qmp.bench;
