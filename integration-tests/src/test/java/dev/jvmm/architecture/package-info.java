/**
 * Project rules kept as tests: only {@code ..sys..} packages touch {@code java.lang.foreign}, and the
 * modules depend in one direction (guest-memory &lt;- vmm-core &lt;- device-assign, qmp-api; device-assign
 * and qmp-api do not know each other).
 *
 * <p>{@link dev.jvmm.architecture.ArchitectureRules} holds the rules; {@code ArchitectureTest} applies them
 * to the production classes of every module, {@code ArchitectureRulesTest} shows each rule catches a
 * planted violation (fixture classes under {@code dev.jvmm.*.archfixture}, test sources only).
 */
package dev.jvmm.architecture;
