package dev.jvmm.qmp.transport;

import dev.jvmm.qmp.dispatch.QmpProtocol;
import dev.jvmm.qmp.dispatch.QmpSession;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/**
 * One accepted connection: moves bytes between a Vert.x {@link NetSocket} and a {@link QmpSession}, and
 * applies back-pressure. Reading pauses while too many requests wait (QEMU reads ahead by one request;
 * here up to {@link #MAX_BACKLOG}) or while the client does not read its replies, and resumes once both
 * have drained. Lives on its socket's event loop.
 */
final class ClientConnection implements QmpSession.Output {

    private static final System.Logger LOG = System.getLogger(ClientConnection.class.getName());

    /** Requests parsed ahead of the one running, before reading pauses. */
    static final int MAX_BACKLOG = 64;

    private final NetSocket socket;
    private final ClientRegistry registry;
    private final QmpSession session;
    private boolean paused;
    private boolean closed;

    ClientConnection(NetSocket socket, QmpProtocol protocol, ClientRegistry registry, Context context) {
        this.socket = socket;
        this.registry = registry;
        this.session = protocol.newSession(task -> context.runOnContext(v -> task.run()), this);
        socket.handler(this::onData);
        socket.drainHandler(v -> resumeIfDrained());
        socket.exceptionHandler(e -> {
            LOG.log(System.Logger.Level.DEBUG, "QMP connection " + describe() + " failed; closing it", e);
            close();
        });
        socket.closeHandler(v -> onClosed());
    }

    /** Registers the connection and sends the greeting. */
    void open() {
        registry.add(this);
        session.open();
    }

    void deliverEvent(byte[] line) {
        if (!closed) {
            session.deliverEvent(line);
        }
    }

    @Override
    public void send(byte[] line) {
        if (closed) {
            return;
        }
        socket.write(Buffer.buffer(line));
        if (socket.writeQueueFull()) {
            pause();
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            session.close();
            // Vert.x flushes what was written before closing.
            socket.close();
        }
    }

    @Override
    public void idle() {
        resumeIfDrained();
    }

    private void onData(Buffer data) {
        byte[] bytes = data.getBytes();
        try {
            session.receive(bytes, 0, bytes.length);
        } catch (RuntimeException e) {
            // A bug, not bad input (bad input is answered with errors): surface it and drop this connection,
            // whose state can no longer be trusted; the server and the other connections go on.
            LOG.log(System.Logger.Level.ERROR, "QMP connection " + describe() + " failed internally; closing it", e);
            send(QmpServer.errorLine("Internal error in the QMP server, closing the connection: " + e));
            close();
            return;
        }
        if (session.backlog() > MAX_BACKLOG || socket.writeQueueFull()) {
            pause();
        }
    }

    private void pause() {
        if (!paused && !closed) {
            paused = true;
            socket.pause();
        }
    }

    private void resumeIfDrained() {
        if (paused && !closed && session.backlog() <= MAX_BACKLOG / 2 && !socket.writeQueueFull()) {
            paused = false;
            socket.resume();
        }
    }

    private void onClosed() {
        closed = true;
        session.close();
        registry.remove(this);
    }

    private String describe() {
        return String.valueOf(socket.remoteAddress());
    }
}
