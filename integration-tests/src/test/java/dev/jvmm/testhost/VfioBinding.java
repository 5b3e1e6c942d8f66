package dev.jvmm.testhost;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An L1 device after binding it to vfio-pci, with what the kernel then offers for it.
 *
 * @param device     its PCI address in L1
 * @param iommuGroup its IOMMU group number ({@code /sys/kernel/iommu_groups/N})
 * @param groupName  the group's sysfs {@code name} ({@code vfio-noiommu} in no-IOMMU mode), or empty
 * @param vfioDevice the name of its vfio-dev sysfs entry ({@code vfio0}), present since 6.1; only kernels
 *                   with the device cdev also make {@code /dev/vfio/devices/vfio0} of it
 * @param devVfio    everything under {@code /dev/vfio}, relative ({@code vfio}, {@code 2},
 *                   {@code devices/vfio0}, {@code noiommu-0})
 * @param devIommu   whether {@code /dev/iommu} (iommufd) exists
 */
public record VfioBinding(PciAddress device, String iommuGroup, String groupName, Optional<String> vfioDevice,
                          List<String> devVfio, boolean devIommu) {
    public VfioBinding {
        devVfio = List.copyOf(devVfio);
    }

    /** Whether the kernel made a VFIO device cdev ({@code /dev/vfio/devices/vfioN}) for the device. */
    public boolean hasDeviceCdev() {
        return vfioDevice.map(name -> devVfio.contains("devices/" + name)).orElse(false);
    }

    /** The shell script, run in L1, that binds the first {@code device} it finds and describes the result. */
    static String script(EmulatedDevice device) {
        return """
                set -eu
                bdf=
                for d in /sys/bus/pci/devices/*; do
                  if [ "$(cat "$d/vendor")" = %1$s ] && [ "$(cat "$d/device")" = %2$s ]; then bdf=${d##*/}; break; fi
                done
                [ -n "$bdf" ] || { echo "no PCI device %1$s:%2$s in L1"; exit 3; }
                dev=/sys/bus/pci/devices/$bdf
                if [ -e "$dev/driver" ]; then echo "$bdf" > "$dev/driver/unbind"; fi
                echo vfio-pci > "$dev/driver_override"
                echo "$bdf" > /sys/bus/pci/drivers_probe
                drv=$(basename "$(readlink "$dev/driver" || echo none)")
                [ "$drv" = vfio-pci ] || { echo "$bdf is bound to $drv after drivers_probe, not vfio-pci"; dmesg | tail -n 5; exit 4; }
                group=$(basename "$(readlink "$dev/iommu_group")")
                echo "bdf=$bdf"
                echo "group=$group"
                echo "group_name=$(cat "/sys/kernel/iommu_groups/$group/name" 2>/dev/null || true)"
                echo "vfio_dev=$(ls "$dev/vfio-dev" 2>/dev/null || true)"
                echo "dev_vfio=$(cd /dev/vfio && find . -mindepth 1 | sed 's|^\\./||' | sort | tr '\\n' ' ')"
                if [ -c /dev/iommu ]; then echo dev_iommu=yes; else echo dev_iommu=no; fi
                """.formatted(device.vendor(), device.device());
    }

    /** Reads the key=value lines {@link #script} prints. */
    static VfioBinding parse(String output) {
        Map<String, String> facts = new HashMap<>();
        for (String line : output.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                facts.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        for (String key : List.of("bdf", "group", "dev_vfio", "dev_iommu")) {
            if (!facts.containsKey(key)) {
                throw new TestHostException("the vfio-pci bind script printed no " + key + "=; its output:\n" + output);
            }
        }
        String vfioDev = facts.getOrDefault("vfio_dev", "");
        return new VfioBinding(PciAddress.parse(facts.get("bdf")), facts.get("group"),
                facts.getOrDefault("group_name", ""), vfioDev.isEmpty() ? Optional.empty() : Optional.of(vfioDev),
                Arrays.stream(facts.get("dev_vfio").split("\\s+")).filter(s -> !s.isEmpty()).toList(),
                facts.get("dev_iommu").equals("yes"));
    }
}
