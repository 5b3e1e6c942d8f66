/**
 * Architecture-test fixture, test sources only: classes that pose as qmp-api code, one clean and one that uses device-assign. Checked by
 * {@code dev.jvmm.architecture.ArchitectureRulesTest}; never part of a module's production classes.
 */
package dev.jvmm.qmp.archfixture;
