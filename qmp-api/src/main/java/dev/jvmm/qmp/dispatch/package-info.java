/**
 * QMP dispatch: the per-connection protocol state machine ({@link dev.jvmm.qmp.dispatch.QmpSession}) and the
 * command table ({@link dev.jvmm.qmp.dispatch.CommandTable}), with no socket in sight, so the whole protocol
 * is testable by feeding bytes.
 *
 * <p>A command is an argument record plus a handler ({@link dev.jvmm.qmp.dispatch.QmpCommand}). The
 * {@link dev.jvmm.qmp.dispatch.ArgumentBinder} checks and binds {@code arguments} to the record before the
 * handler runs, so a bad argument never has a side effect. Handlers return a stage; work on the VM runs on
 * the VM's control thread and its result comes back to the connection's event loop.
 *
 * <p>Invariants: every request gets exactly one reply, in request order; replies to requests that carried
 * an {@code id} echo it; a connection that has not negotiated capabilities receives no event and can run
 * nothing but {@code qmp_capabilities}; nothing here blocks the event loop.
 */
package dev.jvmm.qmp.dispatch;
