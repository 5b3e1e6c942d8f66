package dev.jvmm.vfio.kernel;

import dev.jvmm.vfio.sys.VfioConstants;

/** {@code VFIO_GROUP_GET_STATUS}'s answer: the {@code VFIO_GROUP_FLAGS_*} bits. */
public record GroupStatus(int flags) {

    /**
     * Every device in the group is bound to a VFIO driver, pci-stub or none: only then may the group be
     * attached to a container.
     */
    public boolean viable() {
        return (flags & VfioConstants.VFIO_GROUP_FLAGS_VIABLE) != 0;
    }

    /** The group is attached to a container. */
    public boolean containerSet() {
        return (flags & VfioConstants.VFIO_GROUP_FLAGS_CONTAINER_SET) != 0;
    }
}
