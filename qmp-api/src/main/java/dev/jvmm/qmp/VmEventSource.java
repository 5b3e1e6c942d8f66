package dev.jvmm.qmp;

import java.util.function.Consumer;

/**
 * A stream of {@link VmEvent}s to subscribe to.
 *
 * <p>Listeners run on the thread that publishes (the VM's control thread), in publication order, and
 * must not block; the QMP server only queues the event onto its event loop.
 */
public interface VmEventSource {

    /** Starts delivering events to {@code listener} until the returned subscription is closed. */
    Subscription subscribe(Consumer<? super VmEvent> listener);

    /** An active subscription; closing it twice is harmless. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
