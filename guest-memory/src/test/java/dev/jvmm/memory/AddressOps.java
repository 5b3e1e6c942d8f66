package dev.jvmm.memory;

import java.util.List;
import java.util.function.LongBinaryOperator;
import java.util.function.LongFunction;

/** The operations of {@link Gpa}, {@link Iova} and {@link Hva} on raw values, to test all three alike. */
record AddressOps(String type, LongBinaryOperator plus, LongBinaryOperator minus,
        LongBinaryOperator offsetFrom, LongBinaryOperator alignUp, LongBinaryOperator alignDown,
        LongBinaryOperator isAligned, LongBinaryOperator compare, LongFunction<String> print) {

    static final AddressOps GPA = new AddressOps("Gpa",
            (a, b) -> Gpa.of(a).plus(b).value(),
            (a, b) -> Gpa.of(a).minus(b).value(),
            (a, b) -> Gpa.of(a).offsetFrom(Gpa.of(b)),
            (a, b) -> Gpa.of(a).alignUp(b).value(),
            (a, b) -> Gpa.of(a).alignDown(b).value(),
            (a, b) -> Gpa.of(a).isAligned(b) ? 1 : 0,
            (a, b) -> Gpa.of(a).compareTo(Gpa.of(b)),
            a -> Gpa.of(a).toString());

    static final AddressOps IOVA = new AddressOps("Iova",
            (a, b) -> Iova.of(a).plus(b).value(),
            (a, b) -> Iova.of(a).minus(b).value(),
            (a, b) -> Iova.of(a).offsetFrom(Iova.of(b)),
            (a, b) -> Iova.of(a).alignUp(b).value(),
            (a, b) -> Iova.of(a).alignDown(b).value(),
            (a, b) -> Iova.of(a).isAligned(b) ? 1 : 0,
            (a, b) -> Iova.of(a).compareTo(Iova.of(b)),
            a -> Iova.of(a).toString());

    static final AddressOps HVA = new AddressOps("Hva",
            (a, b) -> Hva.of(a).plus(b).value(),
            (a, b) -> Hva.of(a).minus(b).value(),
            (a, b) -> Hva.of(a).offsetFrom(Hva.of(b)),
            (a, b) -> Hva.of(a).alignUp(b).value(),
            (a, b) -> Hva.of(a).alignDown(b).value(),
            (a, b) -> Hva.of(a).isAligned(b) ? 1 : 0,
            (a, b) -> Hva.of(a).compareTo(Hva.of(b)),
            a -> Hva.of(a).toString());

    static List<AddressOps> all() {
        return List.of(GPA, IOVA, HVA);
    }

    @Override
    public String toString() {
        return type;
    }
}
