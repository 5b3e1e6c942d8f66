/**
 * Architecture-test fixture, test sources only: a class inside a sys package, where java.lang.foreign is allowed. Checked by
 * {@code dev.jvmm.architecture.ArchitectureRulesTest}; never part of a module's production classes.
 */
package dev.jvmm.kvm.sys.archfixture;
