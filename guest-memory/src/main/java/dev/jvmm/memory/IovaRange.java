package dev.jvmm.memory;

import java.util.Objects;
import java.util.Optional;

/**
 * A non-empty range of I/O virtual addresses, {@code [start, start + length)}.
 *
 * <p>Invariants, checked on construction: {@code length} (unsigned) is at least 1, and the range ends
 * at or below {@code 2^64}. Because the exclusive end may be exactly {@code 2^64}, the range is read
 * through its inclusive {@link #last()}; {@link #end()} exists for the common case and says when it
 * cannot answer.
 */
public record IovaRange(Iova start, long length) {

    public IovaRange {
        Objects.requireNonNull(start, "start");
        RangeMath.last("IovaRange", start.value(), length);
    }

    public static IovaRange of(Iova start, long length) {
        return new IovaRange(start, length);
    }

    /** The range {@code [first, last]}; throws if {@code first > last} or it covers all of 2^64. */
    public static IovaRange ofInclusive(Iova first, Iova last) {
        return new IovaRange(first, RangeMath.lengthInclusive("IovaRange", first.value(), last.value()));
    }

    /** The highest address inside the range. */
    public Iova last() {
        return Iova.of(start.value() + (length - 1));
    }

    /** The first address past the range; throws if that would be {@code 2^64} (use {@link #last()}). */
    public Iova end() {
        return start.plus(length);
    }

    public boolean contains(Iova address) {
        return RangeMath.contains(start.value(), last().value(), address.value());
    }

    public boolean contains(IovaRange other) {
        return contains(other.start) && contains(other.last());
    }

    public boolean overlaps(IovaRange other) {
        return RangeMath.overlaps(start.value(), last().value(), other.start.value(), other.last().value());
    }

    /** The addresses in both ranges, or empty when they are disjoint. */
    public Optional<IovaRange> intersection(IovaRange other) {
        if (!overlaps(other)) {
            return Optional.empty();
        }
        long first = RangeMath.max(start.value(), other.start.value());
        long last = RangeMath.min(last().value(), other.last().value());
        return Optional.of(ofInclusive(Iova.of(first), Iova.of(last)));
    }

    @Override
    public String toString() {
        return RangeMath.format("IovaRange", start.value(), last().value(), length);
    }
}
