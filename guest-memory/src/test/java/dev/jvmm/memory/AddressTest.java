package dev.jvmm.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AddressTest {

    static List<AddressOps> types() {
        return AddressOps.all();
    }

    @ParameterizedTest
    @MethodSource("types")
    void printsHexWithTypeName(AddressOps ops) {
        assertEquals(ops.type() + "[0xfee00000]", ops.print().apply(0xfee0_0000L));
        assertEquals(ops.type() + "[0x0]", ops.print().apply(0));
        assertEquals(ops.type() + "[0xffffffffffffffff]", ops.print().apply(-1L));
        assertEquals(ops.type() + "[0x8000000000000000]", ops.print().apply(Long.MIN_VALUE));
    }

    @ParameterizedTest
    @MethodSource("types")
    void plusReachesTheTopAndNotBeyond(AddressOps ops) {
        assertEquals(-1L, ops.plus().applyAsLong(-2L, 1));
        assertEquals(-1L, ops.plus().applyAsLong(0, -1L));
        assertEquals(Long.MIN_VALUE, ops.plus().applyAsLong(Long.MAX_VALUE, 1));
        AddressOverflowException e = assertThrows(AddressOverflowException.class,
                () -> ops.plus().applyAsLong(-1L, 1));
        assertTrue(e.getMessage().contains("0xffffffffffffffff"), e.getMessage());
        assertThrows(AddressOverflowException.class, () -> ops.plus().applyAsLong(1, -1L));
        assertThrows(AddressOverflowException.class, () -> ops.plus().applyAsLong(Long.MIN_VALUE, Long.MIN_VALUE));
    }

    @ParameterizedTest
    @MethodSource("types")
    void minusAndOffsetStopAtZero(AddressOps ops) {
        assertEquals(0, ops.minus().applyAsLong(0x1000, 0x1000));
        assertThrows(AddressOverflowException.class, () -> ops.minus().applyAsLong(0xfff, 0x1000));
        assertEquals(0x7fff_ffff_ffff_ffffL, ops.minus().applyAsLong(-1L, Long.MIN_VALUE));
        assertEquals(Long.MIN_VALUE, ops.offsetFrom().applyAsLong(Long.MIN_VALUE, 0));
        assertEquals(-1L, ops.offsetFrom().applyAsLong(-1L, 0));
        assertThrows(AddressOverflowException.class, () -> ops.offsetFrom().applyAsLong(0, 1));
        assertThrows(AddressOverflowException.class, () -> ops.offsetFrom().applyAsLong(0x7fff_ffff_ffff_ffffL, Long.MIN_VALUE));
    }

    @ParameterizedTest
    @MethodSource("types")
    void alignment(AddressOps ops) {
        assertEquals(0x2000, ops.alignUp().applyAsLong(0x1001, 0x1000));
        assertEquals(0x1000, ops.alignUp().applyAsLong(0x1000, 0x1000));
        assertEquals(0x1000, ops.alignDown().applyAsLong(0x1fff, 0x1000));
        assertEquals(Long.MIN_VALUE, ops.alignUp().applyAsLong(1, Long.MIN_VALUE));
        assertEquals(-4096L, ops.alignUp().applyAsLong(-8191L, 4096));
        assertThrows(AddressOverflowException.class, () -> ops.alignUp().applyAsLong(-4095L, 4096));
        assertThrows(AddressOverflowException.class, () -> ops.alignUp().applyAsLong(Long.MIN_VALUE + 1, Long.MIN_VALUE));
        assertEquals(1, ops.isAligned().applyAsLong(0, Long.MIN_VALUE));
        assertEquals(0, ops.isAligned().applyAsLong(0x200, 0x400));
        for (long bad : new long[] {0, 3, 0x1800, -1L, -4096L}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ops.alignUp().applyAsLong(0x1000, bad));
            assertTrue(e.getMessage().contains("power of two"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> ops.alignDown().applyAsLong(0x1000, bad));
            assertThrows(IllegalArgumentException.class, () -> ops.isAligned().applyAsLong(0x1000, bad));
        }
    }

    @ParameterizedTest
    @MethodSource("types")
    void comparesUnsigned(AddressOps ops) {
        assertTrue(ops.compare().applyAsLong(Long.MIN_VALUE, Long.MAX_VALUE) > 0);
        assertTrue(ops.compare().applyAsLong(-1L, 0) > 0);
        assertTrue(ops.compare().applyAsLong(0, -1L) < 0);
        assertEquals(0, ops.compare().applyAsLong(-1L, -1L));
    }

    @Test
    void overflowIsAnArithmeticException() {
        assertThrows(ArithmeticException.class, () -> Gpa.of(-1L).plus(1));
    }

    @Test
    void sortingUsesUnsignedOrder() {
        List<Gpa> sorted = List.of(Gpa.of(-1L), Gpa.of(Long.MIN_VALUE), Gpa.of(1), Gpa.of(0)).stream()
                .sorted().toList();
        assertEquals(List.of(Gpa.of(0), Gpa.of(1), Gpa.of(Long.MIN_VALUE), Gpa.of(-1L)), sorted);
        assertTrue(Gpa.of(1).isBelow(Gpa.of(Long.MIN_VALUE)));
        assertFalse(Gpa.of(-1L).isBelow(Gpa.of(Long.MIN_VALUE)));
    }

    @Test
    void equalValuesOfDifferentTypesAreNotEqual() {
        assertFalse(Gpa.of(0x1000).equals(Iova.of(0x1000)));
        assertEquals(Gpa.of(0x1000), Gpa.of(0x1000));
    }

    /** The types exist to keep address spaces apart: no public method may accept another one. */
    @Test
    void noMethodAcceptsAnotherAddressType() {
        Set<Class<?>> addressTypes = Set.of(Gpa.class, Iova.class, Hva.class);
        for (Class<?> type : addressTypes) {
            for (Method m : type.getDeclaredMethods()) {
                if (!Modifier.isPublic(m.getModifiers())) {
                    continue;
                }
                for (Class<?> parameter : m.getParameterTypes()) {
                    assertTrue(parameter == long.class || parameter == Object.class || parameter == type,
                            type.getSimpleName() + "." + m.getName() + " accepts " + parameter.getSimpleName());
                }
            }
            // No arithmetic besides the checked methods: the record's only long-returning method
            // besides value() is offsetFrom.
            List<String> longMethods = Arrays.stream(type.getDeclaredMethods())
                    .filter(m -> Modifier.isPublic(m.getModifiers()) && m.getReturnType() == long.class)
                    .map(Method::getName).sorted().toList();
            assertEquals(List.of("offsetFrom", "value"), longMethods, type.getSimpleName());
        }
    }
}
