package dev.jvmm.qmp.transport;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jvmm.qmp.QmpEndpoint;
import dev.jvmm.qmp.QmpErrorClass;
import dev.jvmm.qmp.QmpServerOptions;
import dev.jvmm.qmp.VmControl;
import dev.jvmm.qmp.VmEventSource;
import dev.jvmm.qmp.commands.EventEncoder;
import dev.jvmm.qmp.commands.StandardCommands;
import dev.jvmm.qmp.dispatch.QmpProtocol;
import dev.jvmm.qmp.wire.JsonLineWriter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The QMP server: a Vert.x socket server that speaks QMP to any number of clients (up to
 * {@link QmpServerOptions#maxClients()}) for one {@link VmControl}, and sends the VM's events to every
 * client that negotiated capabilities.
 *
 * <p>It owns a Vert.x instance with one event loop; all connections live on it, and nothing on it blocks:
 * commands on the VM return futures that complete on the VM's control thread. {@link #start} and
 * {@link #close} block the calling thread until the socket is listening or everything is shut down, and
 * must not be called on the event loop.
 */
public final class QmpServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(QmpServer.class.getName());
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    private final QmpServerOptions options;
    private final QmpProtocol protocol;
    private final VmEventSource vmEvents;
    private final Vertx vertx;
    private final Context context;
    private final ClientRegistry clients = new ClientRegistry();
    private final byte[] tooManyClients;
    private NetServer server;
    private UnixSocketFile socketFile;
    private QmpEndpoint boundEndpoint;
    private VmEventSource.Subscription events;
    private boolean accepting = true;
    private volatile boolean closed;

    private QmpServer(QmpServerOptions options, VmControl vm) {
        this.options = options;
        this.protocol = StandardCommands.protocol(vm, options);
        this.vmEvents = vm.events();
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
        this.context = vertx.getOrCreateContext();
        this.tooManyClients = errorLine("Too many QMP clients: this server accepts at most " + options.maxClients()
                + " connections at once; close another connection and retry");
    }

    /**
     * Starts listening on {@code options.endpoint()} and serves {@code vm} until {@link #close}.
     *
     * @throws IOException if the endpoint cannot be bound; the message names the endpoint and the way out
     */
    public static QmpServer start(QmpServerOptions options, VmControl vm) throws IOException {
        requireNotOnEventLoop("start");
        QmpServer qmp = new QmpServer(options, vm);
        try {
            qmp.listen();
        } catch (IOException | RuntimeException e) {
            qmp.close();
            throw e;
        }
        return qmp;
    }

    private void listen() throws IOException {
        SocketAddress address = switch (options.endpoint()) {
            case QmpEndpoint.UnixSocket unix -> {
                socketFile = UnixSocketFile.prepare(unix.path());
                yield SocketAddress.domainSocketAddress(unix.path().toString());
            }
            case QmpEndpoint.Tcp tcp -> SocketAddress.inetSocketAddress(tcp.port(), tcp.host());
        };
        // Subscribe before the first client can connect, so no client can miss an event after negotiating.
        events = subscribe();
        CompletableFuture<NetServer> bound = new CompletableFuture<>();
        context.runOnContext(v -> {
            NetServer s = vertx.createNetServer(new NetServerOptions());
            s.connectHandler(this::accept);
            s.listen(address).onComplete(bound::complete, bound::completeExceptionally);
        });
        server = await(bound, STARTUP_TIMEOUT, "listen on " + options.endpoint());
        boundEndpoint = switch (options.endpoint()) {
            case QmpEndpoint.UnixSocket unix -> {
                socketFile.restrictToOwner();
                yield unix;
            }
            case QmpEndpoint.Tcp tcp -> new QmpEndpoint.Tcp(tcp.host(), server.actualPort(), tcp.allowNonLoopback());
        };
        LOG.log(System.Logger.Level.INFO, "QMP server listening on {0}", boundEndpoint);
    }

    private VmEventSource.Subscription subscribe() {
        return vmEvents.subscribe(event -> {
            byte[] line = JsonLineWriter.line(EventEncoder.encode(event));
            context.runOnContext(v -> clients.broadcast(line));
        });
    }

    private void accept(NetSocket socket) {
        if (!accepting) {
            socket.close();
            return;
        }
        if (clients.size() >= options.maxClients()) {
            LOG.log(System.Logger.Level.WARNING, "QMP client refused: already {0} connections (the limit)",
                    clients.size());
            socket.write(Buffer.buffer(tooManyClients));
            socket.close();
            return;
        }
        new ClientConnection(socket, protocol, clients, Vertx.currentContext()).open();
    }

    /** Where the server listens; for TCP with port 0, the port actually bound. */
    public QmpEndpoint endpoint() {
        return boundEndpoint;
    }

    /** How many client connections are open now. */
    public int clientCount() {
        return clients.size();
    }

    /**
     * Stops listening, closes every connection, stops the event loop and removes the UNIX socket file.
     * Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        requireNotOnEventLoop("close");
        closed = true;
        if (events != null) {
            events.close();
        }
        IOException failure = null;
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        context.runOnContext(v -> {
            accepting = false;
            clients.closeAll();
            Future<Void> serverClosed = server == null ? Future.succeededFuture() : server.close();
            serverClosed.onComplete(stopped::complete, stopped::completeExceptionally);
        });
        try {
            await(stopped, SHUTDOWN_TIMEOUT, "close the QMP listener on " + options.endpoint());
        } catch (IOException e) {
            failure = e;
        }
        CompletableFuture<Void> vertxClosed = new CompletableFuture<>();
        vertx.close().onComplete(vertxClosed::complete, vertxClosed::completeExceptionally);
        try {
            await(vertxClosed, SHUTDOWN_TIMEOUT, "stop the QMP event loop");
        } catch (IOException e) {
            failure = first(failure, e);
        }
        try {
            if (socketFile != null) {
                socketFile.delete();
            }
        } catch (IOException e) {
            failure = first(failure, new IOException("cannot remove QMP socket " + socketFile.path() + ": "
                    + e.getMessage() + "; remove it by hand", e));
        }
        if (failure != null) {
            throw new UncheckedIOException(failure);
        }
    }

    private static IOException first(IOException first, IOException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    /** Both block until the event loop answers, which would never happen on the event loop itself. */
    private static void requireNotOnEventLoop(String what) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("QmpServer." + what + " blocks and must not run on a Vert.x event loop;"
                    + " call it from the VMM's own thread");
        }
    }

    private static <T> T await(CompletableFuture<T> future, Duration timeout, String what) throws IOException {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new IOException("cannot " + what + ": " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new IOException("cannot " + what + ": no answer within " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting to " + what, e);
        }
    }

    static byte[] errorLine(String description) {
        ObjectNode reply = JsonNodeFactory.instance.objectNode();
        ObjectNode error = reply.putObject("error");
        error.put("class", QmpErrorClass.GenericError.name());
        error.put("desc", description);
        return JsonLineWriter.line(reply);
    }
}
