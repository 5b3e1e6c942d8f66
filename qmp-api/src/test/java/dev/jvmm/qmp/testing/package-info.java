/**
 * Test support for the QMP server: {@link dev.jvmm.qmp.testing.FakeVm}, a VM with real run-state behaviour
 * on its own control thread; {@link dev.jvmm.qmp.testing.SessionHarness}, one protocol session driven by
 * bytes without sockets; {@link dev.jvmm.qmp.testing.QmpTestClient}, a plain socket client that works
 * against any QMP server (ours or QEMU's).
 *
 * <p>Invariants: the fake does all VM work on its control thread and publishes a state change's event
 * before completing the command's future, as {@link dev.jvmm.qmp.VmControl} requires; every wait in the
 * harness and the client has a timeout, so a protocol bug fails a test instead of hanging it.
 */
package dev.jvmm.qmp.testing;
