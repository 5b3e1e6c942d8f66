package dev.jvmm.qmp.dispatch;

/** The arguments of a command that takes none: any member is "Parameter 'x' is unexpected". */
public record NoArguments() {
}
