/**
 * The QMP wire format: a stream of JSON values in, one ASCII JSON line per message out.
 *
 * <p>Input. {@link dev.jvmm.qmp.wire.JsonFramer} cuts the byte stream into messages by counting braces and
 * brackets outside strings, as QEMU's json-streamer does, so messages may be split across reads, packed
 * several to a read, pretty-printed, or sent without a newline. {@link dev.jvmm.qmp.wire.JsonMessageReader}
 * then parses each complete message with Jackson's streaming parser.
 *
 * <p>Why our own framer and not Vert.x's {@code JsonParser} or Jackson's non-blocking parser alone: both
 * handle concatenated values, but after a syntax error the underlying parser is dead and Vert.x does not
 * say where in the stream it stopped, so neither can give QEMU's recovery (one error per bad message,
 * control characters as resynchronisation points, the next command still works). Neither bounds one
 * message's size without buffering it either. Framing first makes every error local to one message and
 * keeps memory bounded; parsing a complete byte range with Jackson keeps the JSON grammar and UTF-8
 * checks in a mature parser.
 *
 * <p>Invariants: a framer never buffers more than its message limit; every byte that is not whitespace
 * ends up in exactly one delivered message or one reported error, except bytes skipped after an error
 * (the rest of a message that crossed a limit; after a stray byte, everything up to the next brace,
 * bracket, line break or control character, as QEMU's lexer does); every output line is ASCII and ends in
 * CRLF with no other CR or LF in it. QemuDifferentialTest checks the error texts against QEMU 7.2.
 */
package dev.jvmm.qmp.wire;
