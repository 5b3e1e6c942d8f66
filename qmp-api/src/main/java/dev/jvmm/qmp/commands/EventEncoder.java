package dev.jvmm.qmp.commands;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jvmm.qmp.ShutdownCause;
import dev.jvmm.qmp.VmEvent;
import java.time.Instant;

/**
 * Encodes a {@link VmEvent} as a QMP event message:
 * {@code {"event": NAME, "data": {...}, "timestamp": {"seconds": s, "microseconds": us}}}, with
 * {@code data} left out for events that carry none (STOP, RESUME, POWERDOWN), as QEMU does.
 */
public final class EventEncoder {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private EventEncoder() {
    }

    public static ObjectNode encode(VmEvent event) {
        ObjectNode o = NODES.objectNode();
        o.put("event", event.name());
        switch (event) {
            case VmEvent.Stop e -> {
            }
            case VmEvent.Resume e -> {
            }
            case VmEvent.Powerdown e -> {
            }
            case VmEvent.Reset e -> guestAndReason(o, e.guest(), e.reason());
            case VmEvent.Shutdown e -> guestAndReason(o, e.guest(), e.reason());
        }
        o.set("timestamp", timestamp(event.timestamp()));
        return o;
    }

    /** Seconds and microseconds since the Unix epoch; microseconds are always 0..999999. */
    static ObjectNode timestamp(Instant at) {
        ObjectNode t = NODES.objectNode();
        t.put("seconds", at.getEpochSecond());
        t.put("microseconds", at.getNano() / 1_000);
        return t;
    }

    private static void guestAndReason(ObjectNode o, boolean guest, ShutdownCause reason) {
        ObjectNode data = o.putObject("data");
        data.put("guest", guest);
        data.put("reason", reason.wireName());
    }
}
