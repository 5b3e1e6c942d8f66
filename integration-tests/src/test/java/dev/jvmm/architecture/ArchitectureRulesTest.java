package dev.jvmm.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import dev.jvmm.kvm.archfixture.KvmFixtures;
import dev.jvmm.kvm.sys.archfixture.SysFixtures;
import dev.jvmm.memory.archfixture.MemoryFixtures;
import dev.jvmm.qmp.archfixture.QmpFixtures;
import dev.jvmm.stray.archfixture.StrayFixture;
import dev.jvmm.vfio.archfixture.VfioFixtures;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each rule of {@link ArchitectureRules}, applied to fixture classes posing as code of each module, flags
 * exactly the planted violations: the rules can fail, and the allowed directions stay allowed.
 */
class ArchitectureRulesTest {
    private static JavaClasses fixtures;

    @BeforeAll
    static void importFixtures() {
        fixtures = new ClassFileImporter().importClasses(
                MemoryFixtures.Clean.class, MemoryFixtures.UsesKvm.class,
                KvmFixtures.Clean.class, KvmFixtures.UsesVfio.class, KvmFixtures.UsesQmp.class,
                KvmFixtures.UsesForeign.class,
                SysFixtures.UsesForeign.class,
                VfioFixtures.Clean.class, VfioFixtures.UsesQmp.class,
                QmpFixtures.Clean.class, QmpFixtures.UsesVfio.class,
                StrayFixture.class);
    }

    static Stream<Arguments> rulesAndTheirViolators() {
        return Stream.of(
                Arguments.of("foreign only in sys", ArchitectureRules.FOREIGN_ONLY_IN_SYS,
                        Set.of(KvmFixtures.UsesForeign.class)),
                Arguments.of("every package in a module", ArchitectureRules.EVERY_PACKAGE_BELONGS_TO_A_MODULE,
                        Set.of(StrayFixture.class)),
                Arguments.of("guest-memory at the bottom", ArchitectureRules.GUEST_MEMORY_DEPENDS_ON_NO_OTHER_MODULE,
                        Set.of(MemoryFixtures.UsesKvm.class)),
                Arguments.of("vmm-core below device-assign and qmp-api",
                        ArchitectureRules.VMM_CORE_DEPENDS_NOT_ON_DEVICE_ASSIGN_OR_QMP,
                        Set.of(KvmFixtures.UsesVfio.class, KvmFixtures.UsesQmp.class)),
                Arguments.of("device-assign without qmp-api", ArchitectureRules.DEVICE_ASSIGN_DEPENDS_NOT_ON_QMP,
                        Set.of(VfioFixtures.UsesQmp.class)),
                Arguments.of("qmp-api without device-assign", ArchitectureRules.QMP_DEPENDS_NOT_ON_DEVICE_ASSIGN,
                        Set.of(QmpFixtures.UsesVfio.class)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rulesAndTheirViolators")
    void ruleFlagsExactlyThePlantedViolations(String title, ArchRule rule, Set<Class<?>> expected) {
        Set<String> violators = new TreeSet<>();
        for (JavaClass c : fixtures) {
            JavaClasses justThisOne = fixtures.that(DescribedPredicate.equalTo(c));
            if (rule.evaluate(justThisOne).hasViolation()) {
                violators.add(c.getName());
            }
        }

        Set<String> expectedNames = new TreeSet<>();
        expected.forEach(c -> expectedNames.add(c.getName()));
        assertEquals(expectedNames, violators, title);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rulesAndTheirViolators")
    void ruleReportNamesTheViolator(String title, ArchRule rule, Set<Class<?>> expected) {
        String report = String.join("\n", rule.evaluate(fixtures).getFailureReport().getDetails());

        for (Class<?> violator : expected) {
            assertTrue(report.contains(violator.getName()), title + ": " + report);
        }
    }
}
