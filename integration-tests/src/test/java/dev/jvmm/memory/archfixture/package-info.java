/**
 * Architecture-test fixture, test sources only: classes that pose as guest-memory code, one clean and one that reaches up into vmm-core. Checked by
 * {@code dev.jvmm.architecture.ArchitectureRulesTest}; never part of a module's production classes.
 */
package dev.jvmm.memory.archfixture;
