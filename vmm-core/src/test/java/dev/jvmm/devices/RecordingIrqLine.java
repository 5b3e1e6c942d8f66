package dev.jvmm.devices;

import java.util.ArrayList;
import java.util.List;

/** An {@link IrqLine} that remembers every level it was driven to, and fails on redundant calls. */
public final class RecordingIrqLine implements IrqLine {
    private final List<Boolean> levels = new ArrayList<>();
    private boolean level;

    @Override
    public synchronized void set(boolean asserted) {
        if (asserted == level) {
            throw new AssertionError("device drove the line to " + asserted + " twice in a row; it must only report changes");
        }
        level = asserted;
        levels.add(asserted);
    }

    public synchronized boolean level() {
        return level;
    }

    public synchronized List<Boolean> levels() {
        return List.copyOf(levels);
    }

    public synchronized int edges() {
        return levels.size();
    }
}
