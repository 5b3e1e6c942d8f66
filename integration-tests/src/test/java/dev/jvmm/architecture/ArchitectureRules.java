package dev.jvmm.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.lang.ArchRule;
import java.util.List;

/**
 * The architecture rules of jvmm, shared by {@link ArchitectureTest} (real classes) and
 * {@link ArchitectureRulesTest} (planted violations).
 *
 * <p>Every rule allows an empty "should": while a module has no production classes yet, the rule has
 * nothing to check, which is not a violation. {@link ArchitectureRulesTest} is what proves the rules bite.
 */
final class ArchitectureRules {
    static final String SYS = "..sys..";
    static final String[] GUEST_MEMORY = {"dev.jvmm.memory.."};
    static final String[] VMM_CORE = {"dev.jvmm.kvm..", "dev.jvmm.vmm..", "dev.jvmm.bus..", "dev.jvmm.boot..",
            "dev.jvmm.devices..", "dev.jvmm.pci..", "dev.jvmm.acpi..", "dev.jvmm.cli.."};
    static final String[] DEVICE_ASSIGN = {"dev.jvmm.vfio.."};
    static final String[] QMP_API = {"dev.jvmm.qmp.."};

    /** House rule 1: FFM stays behind small typed wrappers in {@code sys} packages. */
    static final ArchRule FOREIGN_ONLY_IN_SYS = noClasses()
            .that().resideOutsideOfPackage(SYS)
            .should().dependOnClassesThat().resideInAPackage("java.lang.foreign..")
            .because("only ..sys.. packages may use java.lang.foreign; wrap native calls in a sys package"
                    + " and pass typed values (not MemorySegment) across its boundary")
            .allowEmptyShould(true);

    /** guest-memory is the bottom layer. */
    static final ArchRule GUEST_MEMORY_DEPENDS_ON_NO_OTHER_MODULE = noClasses()
            .that().resideInAnyPackage(GUEST_MEMORY)
            .should().dependOnClassesThat().resideInAnyPackage(concat(VMM_CORE, DEVICE_ASSIGN, QMP_API))
            .because("guest-memory is the bottom module: vmm-core, device-assign and qmp-api build on it")
            .allowEmptyShould(true);

    /** vmm-core sits below device-assign and qmp-api. */
    static final ArchRule VMM_CORE_DEPENDS_NOT_ON_DEVICE_ASSIGN_OR_QMP = noClasses()
            .that().resideInAnyPackage(VMM_CORE)
            .should().dependOnClassesThat().resideInAnyPackage(concat(DEVICE_ASSIGN, QMP_API))
            .because("device-assign and qmp-api build on vmm-core, not the other way round;"
                    + " let them register with vmm-core through an interface vmm-core owns")
            .allowEmptyShould(true);

    static final ArchRule DEVICE_ASSIGN_DEPENDS_NOT_ON_QMP = noClasses()
            .that().resideInAnyPackage(DEVICE_ASSIGN)
            .should().dependOnClassesThat().resideInAnyPackage(QMP_API)
            .because("device-assign and qmp-api are siblings on top of vmm-core")
            .allowEmptyShould(true);

    static final ArchRule QMP_DEPENDS_NOT_ON_DEVICE_ASSIGN = noClasses()
            .that().resideInAnyPackage(QMP_API)
            .should().dependOnClassesThat().resideInAnyPackage(DEVICE_ASSIGN)
            .because("device-assign and qmp-api are siblings on top of vmm-core")
            .allowEmptyShould(true);

    /** Every production package is assigned to a module above, so no package escapes the layering rules. */
    static final ArchRule EVERY_PACKAGE_BELONGS_TO_A_MODULE = classes()
            .that().resideInAPackage("dev.jvmm..")
            .should().resideInAnyPackage(concat(GUEST_MEMORY, VMM_CORE, DEVICE_ASSIGN, QMP_API))
            .because("a new top-level package must be added to its module's list in ArchitectureRules,"
                    + " or the layering rules silently skip it")
            .allowEmptyShould(true);

    static final List<ArchRule> ALL = List.of(FOREIGN_ONLY_IN_SYS, EVERY_PACKAGE_BELONGS_TO_A_MODULE, GUEST_MEMORY_DEPENDS_ON_NO_OTHER_MODULE,
            VMM_CORE_DEPENDS_NOT_ON_DEVICE_ASSIGN_OR_QMP, DEVICE_ASSIGN_DEPENDS_NOT_ON_QMP,
            QMP_DEPENDS_NOT_ON_DEVICE_ASSIGN);

    private ArchitectureRules() {
    }

    private static String[] concat(String[]... groups) {
        return java.util.Arrays.stream(groups).flatMap(java.util.Arrays::stream).toArray(String[]::new);
    }
}
