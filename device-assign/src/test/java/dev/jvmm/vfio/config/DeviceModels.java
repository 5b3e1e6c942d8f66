package dev.jvmm.vfio.config;

import java.util.List;

/**
 * Config spaces of realistic devices for the tests, laid out as the real hardware's, with the BARs as
 * VFIO_DEVICE_GET_REGION_INFO would report them.
 */
final class DeviceModels {

    private DeviceModels() {}

    record Model(FakePciDevice device, long[] regionSizes) {
        List<BarSpec> bars() {
            return BarSpecs.probe(device, i -> regionSizes[i]);
        }
    }

    /** Common header: identity, status with capability list and a pending received-master-abort error. */
    private static FakePciDevice header(int vendor, int device, int classRev, int subsystem, int firstCap, int pin) {
        FakePciDevice d = new FakePciDevice();
        d.set(0x00, 4, vendor | device << 16);
        d.set(0x04, 2, 0x0000, 0x0547, 0);            // command: hardware-writable bits
        d.set(0x06, 2, 0x2010, 0, 0xf900);             // status: cap list + received master abort (W1C)
        d.set(0x08, 4, classRev);
        d.set(0x0e, 1, 0x80);                          // header type 0 with the multi-function bit
        d.set(0x2c, 4, subsystem);
        d.set(0x34, 1, firstCap);
        d.set(0x3c, 1, 0xff, 0xff, 0);
        d.set(0x3d, 1, pin);
        return d;
    }

    /**
     * An NVMe SSD (Samsung 970-like, 144d:a808, class 010802): one 16 KiB 64-bit BAR holding the MSI-X
     * table and PBA; capabilities PM 0x40 -> MSI 0x50 (64-bit, per-vector masking, 32 vectors) ->
     * PCIe v2 0x70 -> MSI-X 0xb0 (33 vectors) -> vendor-specific 0xd0; AER in extended space.
     */
    static Model nvmeLike() {
        FakePciDevice d = header(0x144d, 0xa808, 0x01080200, 0xa801144d, 0x40, 1);
        d.set(0x10, 4, 0x00000004);                    // BAR0: memory, 64-bit, non-prefetchable
        d.set(0x14, 4, 0);
        d.set(0x40, 2, 0x01 | 0x50 << 8);              // PM
        d.set(0x42, 2, 0x0003);
        d.set(0x44, 2, 0x0008, 0x9f03 & ~0x8000, 0x8000);
        d.set(0x50, 2, 0x05 | 0x70 << 8);              // MSI
        d.set(0x52, 2, 0x0180 | 5 << 1);
        d.set(0x64, 4, 0x0000_0001);                   // MSI pending bits (device state)
        d.set(0x70, 2, 0x10 | 0xb0 << 8);              // PCIe
        d.set(0x72, 2, 0x0002);                        // version 2, endpoint
        d.set(0x74, 4, 0x10008fc1);
        d.set(0x78, 2, 0x2810, 0xffff, 0);             // device control
        d.set(0x7a, 2, 0x0004, 0, 0x000f);             // device status: unsupported request detected
        d.set(0x7c, 4, 0x00477843);
        d.set(0x80, 2, 0x0040, 0x0fff, 0);
        d.set(0x82, 2, 0x1043, 0, 0xc000);
        d.set(0x98, 4, 0x00700000, 0, 0);
        d.set(0xa0, 2, 0x0000, 0xffff, 0);
        d.set(0xb0, 2, 0x11 | 0xd0 << 8);              // MSI-X
        d.set(0xb2, 2, 32);                            // 33 vectors
        d.set(0xb4, 4, 0x3000);                        // table in BAR0 at 0x3000
        d.set(0xb8, 4, 0x2000);                        // PBA in BAR0 at 0x2000
        d.set(0xd0, 2, 0x09 | 0x00 << 8);              // vendor-specific, last
        d.set(0xd2, 2, 0x0014);
        d.set(0xd4, 4, 0xdeadbeef, -1, 0);
        d.set(0x100, 4, 0x00010001);                   // AER extended capability
        return new Model(d, new long[] {0x4000, 0, 0, 0, 0, 0, 0});
    }

    /**
     * An edu-like device (QEMU's educational device 1234:11e8, class 00ff00, extended for coverage): BAR0
     * 1 MiB 32-bit, BAR1 256 I/O ports, BAR2/3 8 GiB 64-bit prefetchable, a 64 KiB expansion ROM;
     * capabilities MSI 0x40 (64-bit, 1 vector) -> vendor-specific 0x50 -> PM 0x60.
     */
    static Model eduLike() {
        FakePciDevice d = header(0x1234, 0x11e8, 0x00ff0010, 0x11001af4, 0x40, 1);
        d.set(0x10, 4, 0x00000000);
        d.set(0x14, 4, 0x00000001);
        d.set(0x18, 4, 0x0000000c);
        d.set(0x1c, 4, 0);
        d.set(0x40, 2, 0x05 | 0x50 << 8);
        d.set(0x42, 2, 0x0080);
        d.set(0x50, 2, 0x09 | 0x60 << 8);
        d.set(0x52, 2, 0x0008);
        d.set(0x60, 2, 0x01 | 0x00 << 8);
        d.set(0x62, 2, 0x0003);
        d.set(0x64, 2, 0x0000, 0x9f03 & ~0x8000, 0x8000);
        return new Model(d, new long[] {1 << 20, 0x100, 8L << 30, 0, 0, 0, 0x10000});
    }
}
