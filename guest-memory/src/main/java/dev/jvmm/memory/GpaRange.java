package dev.jvmm.memory;

import java.util.Objects;
import java.util.Optional;

/**
 * A non-empty range of guest-physical addresses, {@code [start, start + length)}.
 *
 * <p>Invariants, checked on construction: {@code length} (unsigned) is at least 1, and the range ends
 * at or below {@code 2^64}. Because the exclusive end may be exactly {@code 2^64}, the range is read
 * through its inclusive {@link #last()}; {@link #end()} exists for the common case and says when it
 * cannot answer.
 */
public record GpaRange(Gpa start, long length) {

    public GpaRange {
        Objects.requireNonNull(start, "start");
        RangeMath.last("GpaRange", start.value(), length);
    }

    public static GpaRange of(Gpa start, long length) {
        return new GpaRange(start, length);
    }

    /** The range {@code [first, last]}; throws if {@code first > last} or it covers all of 2^64. */
    public static GpaRange ofInclusive(Gpa first, Gpa last) {
        return new GpaRange(first, RangeMath.lengthInclusive("GpaRange", first.value(), last.value()));
    }

    /** The highest address inside the range. */
    public Gpa last() {
        return Gpa.of(start.value() + (length - 1));
    }

    /** The first address past the range; throws if that would be {@code 2^64} (use {@link #last()}). */
    public Gpa end() {
        return start.plus(length);
    }

    public boolean contains(Gpa address) {
        return RangeMath.contains(start.value(), last().value(), address.value());
    }

    public boolean contains(GpaRange other) {
        return contains(other.start) && contains(other.last());
    }

    public boolean overlaps(GpaRange other) {
        return RangeMath.overlaps(start.value(), last().value(), other.start.value(), other.last().value());
    }

    /** The addresses in both ranges, or empty when they are disjoint. */
    public Optional<GpaRange> intersection(GpaRange other) {
        if (!overlaps(other)) {
            return Optional.empty();
        }
        long first = RangeMath.max(start.value(), other.start.value());
        long last = RangeMath.min(last().value(), other.last().value());
        return Optional.of(ofInclusive(Gpa.of(first), Gpa.of(last)));
    }

    @Override
    public String toString() {
        return RangeMath.format("GpaRange", start.value(), last().value(), length);
    }
}
