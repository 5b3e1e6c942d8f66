package dev.jvmm.vfio.config;

import dev.jvmm.memory.GpaRange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Records listener calls as text and keeps the current mappings, failing (AssertionError) on a call
 * that breaks the {@link BarListener} contract: mapping an index twice, unmapping what is not mapped,
 * or overlapping another mapping of the device.
 */
final class RecordingListener implements BarListener, InterruptListener {

    final List<String> events = new ArrayList<>();
    /** False in long runs: keep the mappings and check the contract, but record no text. */
    boolean recording = true;
    final Map<Integer, Object> mapped = new HashMap<>();
    long mapCalls;

    @Override
    public void barMapped(int index, GpaRange range) {
        map(index, range);
        add("map " + index + " " + range);
    }

    @Override
    public void barUnmapped(int index, GpaRange range) {
        unmap(index, range);
        add("unmap " + index + " " + range);
    }

    @Override
    public void ioBarMapped(int index, IoPortRange ports) {
        map(index, ports);
        add("map " + index + " " + ports);
    }

    @Override
    public void ioBarUnmapped(int index, IoPortRange ports) {
        unmap(index, ports);
        add("unmap " + index + " " + ports);
    }

    private void map(int index, Object range) {
        mapCalls++;
        if (mapped.containsKey(index)) {
            throw new AssertionError("BAR " + index + " mapped at " + range + " while still mapped at " + mapped.get(index));
        }
        for (Object other : mapped.values()) {
            boolean overlap = range instanceof GpaRange a && other instanceof GpaRange b ? a.overlaps(b)
                    : range instanceof IoPortRange p && other instanceof IoPortRange q && p.overlaps(q);
            if (overlap) {
                throw new AssertionError("BAR " + index + " mapped at " + range + " overlapping " + other);
            }
        }
        mapped.put(index, range);
    }

    private void unmap(int index, Object range) {
        if (!range.equals(mapped.remove(index))) {
            throw new AssertionError("BAR " + index + " unmapped at " + range + " but was mapped at " + mapped.get(index));
        }
    }

    @Override
    public void msiConfigured(List<MsiVector> vectors) {
        add("msi " + vectors);
    }

    @Override
    public void msiVectorChanged(MsiVector vector) {
        add("msi vector " + vector);
    }

    @Override
    public void msixConfigured(boolean enabled, boolean functionMasked) {
        add("msix enabled=" + enabled + " masked=" + functionMasked);
    }

    @Override
    public void msixVectorChanged(MsiVector vector) {
        add("msix vector " + vector);
    }

    private void add(String event) {
        if (recording) {
            events.add(event);
        }
    }

    /** The events since the last call, then forgets them. */
    List<String> take() {
        List<String> out = List.copyOf(events);
        events.clear();
        return out;
    }
}
