/**
 * The POSIX native layer every jvmm module shares, written with Project Panama FFM.
 *
 * <p>Layering follows Elasticsearch's {@code libs/native}: {@link dev.jvmm.memory.sys.Posix} mirrors the
 * man pages (one static method per libc call, same argument order); {@link dev.jvmm.memory.sys.Fd} and
 * {@link dev.jvmm.memory.sys.Mapping} own kernel resources; {@link dev.jvmm.memory.sys.ErrnoException}
 * carries errno (name and number), the operation, the context and, where known, the fix.
 *
 * <p>Invariants:
 * <ul>
 *   <li>Every call that can fail captures errno with {@code Linker.Option.captureCallState("errno")} into a
 *       per-thread segment and reads it immediately after the call on the same thread.</li>
 *   <li>File descriptors never leave {@code sys} packages as raw ints: they live in {@link Fd}, which
 *       closes exactly once.</li>
 *   <li>A mapping is reachable only through a segment bound to its own arena: after {@link Mapping#close()}
 *       any access throws instead of touching unmapped memory.</li>
 *   <li>Only {@code ..sys..} packages use {@code java.lang.foreign} (ArchitectureTest).</li>
 * </ul>
 */
package dev.jvmm.memory.sys;
