/**
 * Architecture-test fixture, test sources only: classes that pose as device-assign code, one clean and one that uses qmp-api. Checked by
 * {@code dev.jvmm.architecture.ArchitectureRulesTest}; never part of a module's production classes.
 */
package dev.jvmm.vfio.archfixture;
