package dev.jvmm.vfio.fake;

import static dev.jvmm.vfio.sys.VfioConstants.VFIO_DEVICE_FLAGS_RESET;
import static dev.jvmm.vfio.sys.VfioConstants.VFIO_PCI_CONFIG_REGION_INDEX;
import static dev.jvmm.vfio.sys.VfioConstants.VFIO_PCI_INTX_IRQ_INDEX;
import static dev.jvmm.vfio.sys.VfioConstants.VFIO_PCI_MSIX_IRQ_INDEX;

import dev.jvmm.memory.sys.Errno;
import dev.jvmm.memory.sys.Fd;
import dev.jvmm.vfio.kernel.DeviceInfo;
import dev.jvmm.vfio.kernel.IrqInfo;
import dev.jvmm.vfio.kernel.KernelHandle;
import dev.jvmm.vfio.kernel.RegionInfo;
import dev.jvmm.vfio.kernel.RegionMapping;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;

/**
 * The device-fd half of {@link FakeVfioKernel}: what vfio-pci answers for INFO, SET_IRQS, RESET,
 * pread/pwrite and mmap on a {@link FakeFunction}, with the errno it gives for a bad request (EINVAL for
 * an index, vector range, offset or mmap area the device does not have).
 */
final class FakeDeviceCalls {

    private final FakeVfioKernel kernel;

    FakeDeviceCalls(FakeVfioKernel kernel) {
        this.kernel = kernel;
    }


    DeviceInfo deviceInfo(KernelHandle device) {
        FakeFunction f = kernel.device(device, "VFIO_DEVICE_GET_INFO", "");
        return new DeviceInfo(f.deviceFlags, f.regions.size(), f.irqs.size());
    }

    RegionInfo regionInfo(KernelHandle device, int index) {
        FakeFunction f = kernel.device(device, "VFIO_DEVICE_GET_REGION_INFO", Integer.toString(index));
        if (index < 0 || index >= f.regions.size() || f.regions.get(index) == null) {
            throw FakeVfioKernel.err(Errno.EINVAL, "VFIO_DEVICE_GET_REGION_INFO", device);
        }
        return f.regions.get(index);
    }

    IrqInfo irqInfo(KernelHandle device, int index) {
        FakeFunction f = kernel.device(device, "VFIO_DEVICE_GET_IRQ_INFO", Integer.toString(index));
        if (index < 0 || index >= f.irqs.size()) {
            throw FakeVfioKernel.err(Errno.EINVAL, "VFIO_DEVICE_GET_IRQ_INFO", device);
        }
        return f.irqs.get(index);
    }

    void setIrqEventfds(KernelHandle device, int index, int start, List<Optional<Fd>> fds) {
        String op = "VFIO_DEVICE_SET_IRQS(eventfds)";
        FakeFunction f = kernel.device(device, op, irqs(index, start, fds.size()));
        IrqInfo irq = checkIrqs(f, device, op, index, start, fds.size());
        if (!irq.eventfd()) {
            throw FakeVfioKernel.err(Errno.EINVAL, op, device);
        }
        boolean interruptIndex = index <= VFIO_PCI_MSIX_IRQ_INDEX;
        if (interruptIndex && f.irqType >= 0 && f.irqType != index) {
            // vfio-pci: one of INTx, MSI, MSI-X at a time; the other must be disabled first
            throw FakeVfioKernel.err(Errno.EINVAL, op, device);
        }
        String[] vectors = kernel.eventfds.computeIfAbsent(f.address, k -> new HashMap<>())
                .computeIfAbsent(index, k -> new String[irq.count()]);
        for (int i = 0; i < fds.size(); i++) {
            vectors[start + i] = fds.get(i).map(Fd::name).orElse(null);
        }
        if (interruptIndex) {
            f.irqType = index;
        }
    }

    void setIrqUnmaskEventfd(KernelHandle device, int index, int vector, Optional<Fd> eventfd) {
        String op = "VFIO_DEVICE_SET_IRQS(unmask eventfd)";
        FakeFunction f = kernel.device(device, op, irqs(index, vector, 1) + " fd=" + eventfd.map(Fd::name).orElse("-1"));
        IrqInfo irq = checkIrqs(f, device, op, index, vector, 1);
        if (index != VFIO_PCI_INTX_IRQ_INDEX || !irq.maskable() || f.irqType != VFIO_PCI_INTX_IRQ_INDEX) {
            throw FakeVfioKernel.err(Errno.EINVAL, op, device); // vfio_pci_set_intx_unmask: INTx must be on
        }
        f.unmaskEventfd = eventfd.map(Fd::name).orElse(null);
    }

    void maskIrq(KernelHandle device, int index, int start, int count) {
        maskOrUnmask(device, "VFIO_DEVICE_SET_IRQS(mask)", index, start, count);
    }

    void unmaskIrq(KernelHandle device, int index, int start, int count) {
        maskOrUnmask(device, "VFIO_DEVICE_SET_IRQS(unmask)", index, start, count);
    }

    private void maskOrUnmask(KernelHandle device, String op, int index, int start, int count) {
        FakeFunction f = kernel.device(device, op, irqs(index, start, count));
        if (!checkIrqs(f, device, op, index, start, count).maskable()) {
            throw FakeVfioKernel.err(Errno.EINVAL, op, device);
        }
    }

    void triggerIrq(KernelHandle device, int index, int start, int count) {
        String op = "VFIO_DEVICE_SET_IRQS(trigger)";
        checkIrqs(kernel.device(device, op, irqs(index, start, count)), device, op, index, start, count);
    }

    void disableIrq(KernelHandle device, int index) {
        String op = "VFIO_DEVICE_SET_IRQS(disable)";
        FakeFunction f = kernel.device(device, op, irqs(index, 0, 0));
        checkIrqs(f, device, op, index, 0, 0);
        kernel.eventfds.getOrDefault(f.address, new HashMap<>()).remove(index);
        if (f.irqType == index) {
            f.irqType = -1;
            f.unmaskEventfd = null; // vfio_intx_disable drops the unmask eventfd too
        }
    }

    private IrqInfo checkIrqs(FakeFunction f, KernelHandle device, String op, int index, int start, int count) {
        if (index < 0 || index >= f.irqs.size() || start < 0 || count < 0 || start + count > f.irqs.get(index).count()) {
            throw FakeVfioKernel.err(Errno.EINVAL, op, device);
        }
        return f.irqs.get(index);
    }

    private static String irqs(int index, int start, int count) {
        return "index=" + index + " start=" + start + " count=" + count;
    }

    void reset(KernelHandle device) {
        FakeFunction f = kernel.device(device, "VFIO_DEVICE_RESET", "");
        if ((f.deviceFlags & VFIO_DEVICE_FLAGS_RESET) == 0) {
            throw FakeVfioKernel.err(Errno.EINVAL, "VFIO_DEVICE_RESET", device);
        }
        f.resets++;
    }

    long read(KernelHandle device, long offset, int width) {
        FakeFunction f = kernel.device(device, "pread", access(offset, width));
        RegionInfo r = accessed(f, device, "pread", offset, width);
        long off = offset - r.offset();
        long value = 0;
        for (int i = width - 1; i >= 0; i--) {
            value = (value << 8) | (byteAt(f, r, off + i) & 0xff);
        }
        return value;
    }

    void write(KernelHandle device, long offset, int width, long value) {
        FakeFunction f = kernel.device(device, "pwrite", access(offset, width) + " value=0x" + Long.toHexString(value));
        RegionInfo r = accessed(f, device, "pwrite", offset, width);
        long off = offset - r.offset();
        for (int i = 0; i < width; i++) {
            byte b = (byte) (value >>> (8 * i));
            if (r.index() == VFIO_PCI_CONFIG_REGION_INDEX) {
                f.config[(int) off + i] = b;
            } else {
                f.regionBytes.put(r.offset() + off + i, b);
            }
        }
    }

    private static byte byteAt(FakeFunction f, RegionInfo r, long off) {
        return r.index() == VFIO_PCI_CONFIG_REGION_INDEX ? f.config[(int) off]
                : f.regionBytes.getOrDefault(r.offset() + off, (byte) 0);
    }

    private RegionInfo accessed(FakeFunction f, KernelHandle device, String op, long offset, int width) {
        int index = (int) (offset >>> FakeFunction.OFFSET_SHIFT);
        RegionInfo r = index < f.regions.size() ? f.regions.get(index) : null;
        long off = offset - FakeFunction.regionOffset(index);
        boolean ok = r != null && (op.equals("pread") ? r.readable() : r.writable()) && off + width <= r.size();
        if (!ok) {
            throw FakeVfioKernel.err(Errno.EINVAL, op, device);
        }
        return r;
    }

    private static String access(long offset, int width) {
        return "offset=0x" + Long.toHexString(offset) + " width=" + width;
    }

    RegionMapping mmap(KernelHandle device, long offset, long length, boolean writable) {
        FakeFunction f = kernel.device(device, "mmap", "offset=0x" + Long.toHexString(offset) + " length=0x" + Long.toHexString(length));
        int index = (int) (offset >>> FakeFunction.OFFSET_SHIFT);
        RegionInfo r = index < f.regions.size() ? f.regions.get(index) : null;
        long off = offset - FakeFunction.regionOffset(index);
        boolean inArea = r != null && r.mmapAreas().stream()
                .anyMatch(a -> a.offset() <= off && off + length <= a.offset() + a.size());
        if (!inArea || length <= 0 || (off & 0xfff) != 0 || (writable && !r.writable())) {
            throw FakeVfioKernel.err(Errno.EINVAL, "mmap", device);
        }
        return kernel.newRegionMapping((FakeHandle) device, offset, length);
    }
}
