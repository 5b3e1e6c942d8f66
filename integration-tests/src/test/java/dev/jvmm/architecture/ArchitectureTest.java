package dev.jvmm.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Applies {@link ArchitectureRules} to the production classes of all modules (tests excluded). */
class ArchitectureTest {
    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.jvmm");
    }

    @Test
    void onlySysPackagesUseJavaLangForeign() {
        ArchitectureRules.FOREIGN_ONLY_IN_SYS.check(production);
    }

    @Test
    void everyPackageBelongsToAModule() {
        ArchitectureRules.EVERY_PACKAGE_BELONGS_TO_A_MODULE.check(production);
    }

    @Test
    void guestMemoryDependsOnNoOtherModule() {
        ArchitectureRules.GUEST_MEMORY_DEPENDS_ON_NO_OTHER_MODULE.check(production);
    }

    @Test
    void vmmCoreDependsNeitherOnDeviceAssignNorOnQmp() {
        ArchitectureRules.VMM_CORE_DEPENDS_NOT_ON_DEVICE_ASSIGN_OR_QMP.check(production);
    }

    @Test
    void deviceAssignDoesNotDependOnQmp() {
        ArchitectureRules.DEVICE_ASSIGN_DEPENDS_NOT_ON_QMP.check(production);
    }

    @Test
    void qmpDoesNotDependOnDeviceAssign() {
        ArchitectureRules.QMP_DEPENDS_NOT_ON_DEVICE_ASSIGN.check(production);
    }
}
