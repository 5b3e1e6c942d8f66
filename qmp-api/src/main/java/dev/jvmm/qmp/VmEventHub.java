package dev.jvmm.qmp;

import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A {@link VmEventSource} that a VM implementation owns and {@link #publish publishes} to.
 *
 * <p>Subscribing and unsubscribing are safe from any thread; {@link #publish} delivers synchronously on
 * the caller's thread to the listeners subscribed at that moment. A listener that throws does not keep
 * the event from the others; the first such exception is rethrown after every listener ran, so the
 * failure surfaces on the publishing thread.
 */
public final class VmEventHub implements VmEventSource {

    private final CopyOnWriteArrayList<Consumer<? super VmEvent>> listeners = new CopyOnWriteArrayList<>();

    @Override
    public Subscription subscribe(Consumer<? super VmEvent> listener) {
        Objects.requireNonNull(listener, "listener");
        // A wrapper gives every subscription its own identity, so one listener may subscribe twice.
        Consumer<VmEvent> entry = listener::accept;
        listeners.add(entry);
        return () -> listeners.remove(entry);
    }

    /** Delivers {@code event} to every current subscriber. */
    public void publish(VmEvent event) {
        Objects.requireNonNull(event, "event");
        RuntimeException first = null;
        for (Consumer<? super VmEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** How many subscriptions are open. */
    public int subscriberCount() {
        return listeners.size();
    }
}
