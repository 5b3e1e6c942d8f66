package dev.jvmm.vmm;

import dev.jvmm.cli.ConfigException;
import dev.jvmm.cli.VmConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The {@code -device}s of one VM run, attached through the {@link DeviceProvider}s on the class path and
 * detached, in reverse, by {@link #close()}.
 */
final class AttachedDevices implements AutoCloseable {
    private final List<AutoCloseable> attached;

    private AttachedDevices(List<AutoCloseable> attached) {
        this.attached = attached;
    }

    /** The providers registered on the class path (META-INF/services). */
    static List<DeviceProvider> installedProviders() {
        return ServiceLoader.load(DeviceProvider.class, AttachedDevices.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get).toList();
    }

    /**
     * Which provider serves each spec, grouped by provider in command-line order.
     *
     * @throws ConfigException naming the first {@code -device} no provider (or more than one) accepts
     */
    static Map<DeviceProvider, List<VmConfig.DeviceSpec>> plan(List<VmConfig.DeviceSpec> specs,
            List<DeviceProvider> providers) {
        Map<DeviceProvider, List<VmConfig.DeviceSpec>> plan = new LinkedHashMap<>();
        for (VmConfig.DeviceSpec spec : specs) {
            List<DeviceProvider> able = providers.stream().filter(p -> p.accepts(spec)).toList();
            if (able.isEmpty()) {
                throw new ConfigException("-device " + kind(spec) + " (" + spec.id() + "): no implementation of "
                        + kind(spec) + " is on the class path; the device-assign module's jar and its target/lib"
                        + " must be there (bin/vmm adds them after a full build)");
            }
            if (able.size() > 1) {
                throw new ConfigException("-device " + kind(spec) + ": " + able.size() + " implementations are on the"
                        + " class path (" + able.stream().map(p -> p.getClass().getName()).toList() + "); keep one");
            }
            plan.computeIfAbsent(able.getFirst(), p -> new ArrayList<>()).add(spec);
        }
        return plan;
    }

    /** Attaches every planned device; on a failure detaches those attached before and rethrows. */
    static AttachedDevices attach(Map<DeviceProvider, List<VmConfig.DeviceSpec>> plan, Machine machine) {
        List<AutoCloseable> done = new ArrayList<>();
        try {
            for (Map.Entry<DeviceProvider, List<VmConfig.DeviceSpec>> e : plan.entrySet()) {
                done.add(e.getKey().attach(List.copyOf(e.getValue()), machine));
            }
        } catch (RuntimeException e) {
            new AttachedDevices(done).closeAfter(e);
            throw e;
        }
        return new AttachedDevices(done);
    }

    private static String kind(VmConfig.DeviceSpec spec) {
        return switch (spec) {
            case VmConfig.DeviceSpec.VfioPci v -> "vfio-pci";
        };
    }

    private void closeAfter(RuntimeException primary) {
        for (AutoCloseable c : attached.reversed()) {
            try {
                c.close();
            } catch (Exception suppressed) {
                primary.addSuppressed(suppressed);
            }
        }
        attached.clear();
    }

    /** Detaches in reverse order; every provider's devices are detached even if one fails. */
    @Override
    public void close() {
        RuntimeException first = null;
        for (AutoCloseable c : attached.reversed()) {
            try {
                c.close();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            } catch (Exception e) {
                first = first == null ? new IllegalStateException("detaching devices: " + e.getMessage(), e) : first;
            }
        }
        attached.clear();
        if (first != null) {
            throw first;
        }
    }
}
