/**
 * Architecture-test fixture, test sources only: classes that pose as vmm-core code (outside any sys package): one clean, the others break the module direction or use java.lang.foreign. Checked by
 * {@code dev.jvmm.architecture.ArchitectureRulesTest}; never part of a module's production classes.
 */
package dev.jvmm.kvm.archfixture;
