package dev.jvmm.qmp.transport;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The open connections of one server, for the client limit and for event fan-out. Changed and iterated on
 * the server's event loop only; {@link #size()} may be read from any thread.
 */
final class ClientRegistry {

    private final Set<ClientConnection> connections = new LinkedHashSet<>();
    private final AtomicInteger size = new AtomicInteger();

    void add(ClientConnection c) {
        if (connections.add(c)) {
            size.incrementAndGet();
        }
    }

    void remove(ClientConnection c) {
        if (connections.remove(c)) {
            size.decrementAndGet();
        }
    }

    int size() {
        return size.get();
    }

    /** Sends an event line to every connection (each drops it unless it has negotiated). */
    void broadcast(byte[] line) {
        for (ClientConnection c : List.copyOf(connections)) {
            c.deliverEvent(line);
        }
    }

    void closeAll() {
        for (ClientConnection c : new ArrayList<>(connections)) {
            c.close();
        }
    }
}
