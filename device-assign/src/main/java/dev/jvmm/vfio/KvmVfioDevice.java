package dev.jvmm.vfio;

import dev.jvmm.vfio.host.IommuGroupId;
import dev.jvmm.vfio.kernel.KernelHandle;
import dev.jvmm.vfio.kernel.VfioKernel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * KVM's VFIO pseudo-device ({@code KVM_DEV_TYPE_VFIO}) for one VM: KVM must know every VFIO group the VM
 * uses, so that it can tell the IOMMU whether the guest may issue non-coherent DMA (and keep cache
 * maintenance such as WBINVD working) and, on some platforms, wire up interrupt posting.
 *
 * <p>A group is added ({@code KVM_DEV_VFIO_GROUP_ADD}) once it is attached to the container and deleted
 * ({@code KVM_DEV_VFIO_GROUP_DEL}) before its fd closes.
 */
public final class KvmVfioDevice implements AutoCloseable {

    private final VfioKernel kernel;
    private final KernelHandle handle;
    private final Map<IommuGroupId, VfioGroup> groups = new LinkedHashMap<>();

    private KvmVfioDevice(VfioKernel kernel, KernelHandle handle) {
        this.kernel = kernel;
        this.handle = handle;
    }

    /** {@code KVM_CREATE_DEVICE(KVM_DEV_TYPE_VFIO)}. */
    static KvmVfioDevice create(VfioKernel kernel) {
        return new KvmVfioDevice(kernel, kernel.createKvmVfioDevice());
    }

    void add(VfioGroup group) {
        kernel.kvmAddGroup(handle, group.handle());
        groups.put(group.id(), group);
        group.registeredWith(this);
    }

    void remove(VfioGroup group) {
        if (groups.remove(group.id()) != null) {
            group.registeredWith(null);
            kernel.kvmDeleteGroup(handle, group.handle());
        }
    }

    /** The groups KVM knows about, in the order they were added. */
    public List<IommuGroupId> groups() {
        return List.copyOf(groups.keySet());
    }

    public boolean isOpen() {
        return handle.isOpen();
    }

    /** Deletes any group still registered, then closes the device. */
    @Override
    public void close() {
        if (!handle.isOpen()) {
            return;
        }
        Closer closer = new Closer();
        for (VfioGroup group : new ArrayList<>(groups.values()).reversed()) {
            closer.run(() -> remove(group));
        }
        closer.run(handle::close);
        closer.rethrow();
    }
}
