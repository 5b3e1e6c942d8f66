/**
 * Architecture-test fixture, test sources only: a class in a package no module claims. Checked by
 * {@code dev.jvmm.architecture.ArchitectureRulesTest}; never part of a module's production classes.
 */
package dev.jvmm.stray.archfixture;
