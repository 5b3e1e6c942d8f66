package dev.jvmm.boot;

import static dev.jvmm.kvm.sys.CAbiProbe.value;

import dev.jvmm.kvm.sys.CAbiProbe;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every offset and flag {@link BootParams} names, compared with what gcc computes from the installed
 * {@code <asm/bootparam.h>}: the constants are hand-written, the header is the authority.
 */
class BootParamsAbiTest {
    private static final String PRELUDE = "#include <asm/bootparam.h>\n";

    /** BootParams constant → the C member of struct boot_params it is the offset of. */
    private static final Map<String, String> OFFSETS = Map.ofEntries(
            Map.entry("ACPI_RSDP_ADDR", "acpi_rsdp_addr"),
            Map.entry("EXT_RAMDISK_IMAGE", "ext_ramdisk_image"),
            Map.entry("EXT_RAMDISK_SIZE", "ext_ramdisk_size"),
            Map.entry("EXT_CMD_LINE_PTR", "ext_cmd_line_ptr"),
            Map.entry("E820_ENTRIES", "e820_entries"),
            Map.entry("SENTINEL", "sentinel"),
            Map.entry("HDR", "hdr"),
            Map.entry("EDD_MBR_SIG_BUFFER", "edd_mbr_sig_buffer"),
            Map.entry("E820_TABLE", "e820_table"));

    private static final List<String> HEADER_FIELDS = List.of("setup_sects", "root_flags", "syssize", "ram_size",
            "vid_mode", "root_dev", "boot_flag", "jump", "header", "version", "realmode_swtch", "start_sys_seg",
            "kernel_version", "type_of_loader", "loadflags", "setup_move_size", "code32_start", "ramdisk_image",
            "ramdisk_size", "bootsect_kludge", "heap_end_ptr", "ext_loader_ver", "ext_loader_type", "cmd_line_ptr",
            "initrd_addr_max", "kernel_alignment", "relocatable_kernel", "min_alignment", "xloadflags",
            "cmdline_size", "hardware_subarch", "hardware_subarch_data", "payload_offset", "payload_length",
            "setup_data", "pref_address", "init_size", "handover_offset", "kernel_info_offset");

    private static final List<String> MACROS = List.of("LOADED_HIGH", "KASLR_FLAG", "QUIET_FLAG", "KEEP_SEGMENTS",
            "CAN_USE_HEAP", "XLF_KERNEL_64", "XLF_CAN_BE_LOADED_ABOVE_4G", "E820_MAX_ENTRIES_ZEROPAGE");

    @Test
    void offsetsAndFlagsMatchTheInstalledBootparamHeader(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir)
            throws ReflectiveOperationException {
        List<CAbiProbe.Probe> probes = new ArrayList<>();
        probes.addAll(value("sizeof(struct boot_params)", () -> BootParams.SIZE));
        probes.addAll(value("sizeof(struct boot_e820_entry)", () -> BootParams.BOOT_E820_ENTRY_SIZE));
        probes.addAll(value("offsetof(struct boot_params, hdr) + sizeof(struct setup_header)",
                () -> BootParams.HDR_END_2_15));
        for (Map.Entry<String, String> e : OFFSETS.entrySet()) {
            long v = constant(e.getKey());
            probes.addAll(value("offsetof(struct boot_params, " + e.getValue() + ")", () -> v));
        }
        for (String field : HEADER_FIELDS) {
            long v = constant(field.toUpperCase());
            probes.addAll(value("offsetof(struct boot_params, hdr." + field + ")", () -> v));
        }
        for (String macro : MACROS) {
            long v = constant(macro);
            probes.addAll(value(macro, () -> v));
        }
        CAbiProbe.check(dir, PRELUDE, probes);
    }

    private static long constant(String name) throws ReflectiveOperationException {
        return ((Number) BootParams.class.getField(name).get(null)).longValue();
    }
}
