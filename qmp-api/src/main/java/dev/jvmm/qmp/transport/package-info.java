/**
 * QMP over sockets: {@link dev.jvmm.qmp.transport.QmpServer} listens with Vert.x on a UNIX domain socket
 * (mode 0600, set right after bind; a stale socket from a dead server is replaced, any other file is left
 * alone and reported) or, only when asked, on TCP (loopback unless explicitly overridden), and connects each
 * accepted socket to a {@link dev.jvmm.qmp.dispatch.QmpSession}.
 *
 * <p>Invariants: all connections run on the server's single event loop, which never blocks; at most
 * {@code maxClients} connections are open, and one more receives one GenericError line and is closed; a
 * connection stops reading while its backlog or its unsent output is too large, so a client cannot make
 * the server buffer without bound; VM events are encoded once and offered to every open connection, which
 * sends them only once it has negotiated.
 */
package dev.jvmm.qmp.transport;
