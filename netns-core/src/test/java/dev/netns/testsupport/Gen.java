package dev.netns.testsupport;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * A generator of test inputs: a function of a source of randomness, so that the same seed gives
 * the same inputs again (see {@link Fuzz}). Generators are built from the factories and
 * combinators here; each call of {@link #next} draws one value.
 *
 * @param <T> the type of the values generated
 */
@FunctionalInterface
public interface Gen<T> {

    /** Draws the next value from {@code random}. */
    T next(RandomGenerator random);

    /** A generator of this one's values passed through {@code mapper}. */
    default <R> Gen<R> map(Function<? super T, ? extends R> mapper) {
        return random -> mapper.apply(next(random));
    }

    /** Lists of {@code minSize} to {@code maxSize} values of this generator, the size uniform in between. */
    default Gen<List<T>> list(int minSize, int maxSize) {
        Gen<Integer> sizes = integers(minSize, maxSize);
        return random -> {
            int size = sizes.next(random);
            List<T> values = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                values.add(next(random));
            }
            return values;
        };
    }

    /** This generator's values, except null with the given probability (0 to 1). */
    default Gen<T> injectNull(double probability) {
        if (probability < 0 || probability > 1) {
            throw new IllegalArgumentException("probability " + probability + " is not between 0 and 1");
        }
        return random -> random.nextDouble() < probability ? null : next(random);
    }

    /** Always {@code value}. */
    static <T> Gen<T> constant(T value) {
        return random -> value;
    }

    /** One of {@code values}, each as likely. */
    @SafeVarargs
    static <T> Gen<T> of(T... values) {
        return of(List.of(values));
    }

    /** One of {@code values}, each as likely; a value listed twice is twice as likely. */
    static <T> Gen<T> of(List<? extends T> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values to choose from");
        }
        List<? extends T> choices = List.copyOf(values);
        return random -> choices.get(random.nextInt(choices.size()));
    }

    /** A choice of {@link #frequency}: a generator and its weight. */
    record Weighted<T>(int weight, Gen<? extends T> gen) {

        public Weighted {
            if (weight < 0) {
                throw new IllegalArgumentException("weight " + weight + " is negative");
            }
        }
    }

    /** {@code gen} with the weight {@code weight}, for {@link #frequency}. */
    static <T> Weighted<T> weighted(int weight, Gen<? extends T> gen) {
        return new Weighted<>(weight, gen);
    }

    /** A value of one of the generators, picked in proportion to its weight. */
    @SafeVarargs
    static <T> Gen<T> frequency(Weighted<? extends T>... choices) {
        List<Weighted<? extends T>> weighted = List.of(choices);
        int total = weighted.stream().mapToInt(Weighted::weight).sum();
        if (total <= 0) {
            throw new IllegalArgumentException("the weights add up to " + total);
        }
        return random -> {
            int pick = random.nextInt(total);
            for (Weighted<? extends T> choice : weighted) {
                pick -= choice.weight();
                if (pick < 0) {
                    return choice.gen().next(random);
                }
            }
            throw new AssertionError("unreachable: the weights add up to " + total);
        };
    }

    /** Integers from {@code min} to {@code max}, both included, uniform. */
    static Gen<Integer> integers(int min, int max) {
        if (min > max) {
            throw new IllegalArgumentException("empty range " + min + ".." + max);
        }
        return random -> (int) random.nextLong(min, (long) max + 1);
    }

    /** Longs from {@code min} to {@code max}, both included, uniform. */
    static Gen<Long> longs(long min, long max) {
        if (min > max) {
            throw new IllegalArgumentException("empty range " + min + ".." + max);
        }
        if (min == Long.MIN_VALUE && max == Long.MAX_VALUE) {
            return RandomGenerator::nextLong;
        }
        return max < Long.MAX_VALUE ? random -> random.nextLong(min, max + 1) : random -> random.nextLong(min - 1, max) + 1;
    }

    /** The limits of int and long and the numbers on each side of them, which {@link #anyLong} favours. */
    List<Long> LONG_EDGES = List.of(Long.MIN_VALUE, Long.MIN_VALUE + 1, -4_294_967_296L, (long) Integer.MIN_VALUE - 1,
            (long) Integer.MIN_VALUE, -1L, 0L, 1L, 2L, (long) Integer.MAX_VALUE, (long) Integer.MAX_VALUE + 1,
            4_294_967_295L, 4_294_967_296L, Long.MAX_VALUE - 1, Long.MAX_VALUE);

    /**
     * Any long, spread over magnitudes: one in ten is one of {@link #LONG_EDGES}, the others have
     * 0 to 63 significant bits (as many small numbers as large ones) and either sign.
     */
    static Gen<Long> anyLong() {
        Gen<Long> edges = of(LONG_EDGES);
        return random -> {
            if (random.nextInt(10) == 0) {
                return edges.next(random);
            }
            int bits = random.nextInt(64);
            long magnitude = bits == 0 ? 0 : random.nextLong() >>> (64 - bits);
            return random.nextBoolean() ? magnitude : -magnitude;
        };
    }

    /**
     * The chars at the edges of UTF-8 and UTF-16 encoding lengths and classes (NUL, the ends of
     * the 1-, 2- and 3-byte ranges, of the high and low surrogates, noncharacters), which
     * {@link #anyChar} favours.
     */
    List<Character> CHAR_EDGES = List.of('\0', ' ', '\u007f', '\u0080', '\u07ff', '\u0800', '\ud7ff', '\ud800', '\udbff',
            '\udc00', '\udfff', '\ue000', '\ufffd', '\ufffe', '\uffff');

    /**
     * Any UTF-16 char, unpaired surrogates and noncharacters included: one in ten is one of
     * {@link #CHAR_EDGES}, the others are uniform over {@code \u0000} to {@code \uffff}.
     */
    static Gen<Character> anyChar() {
        Gen<Character> edges = of(CHAR_EDGES);
        return random -> random.nextInt(10) == 0 ? edges.next(random) : (char) random.nextInt(Character.MAX_VALUE + 1);
    }

    /** Strings of {@code minLength} to {@code maxLength} chars from {@code chars}, the length uniform in between. */
    static Gen<String> strings(Gen<Character> chars, int minLength, int maxLength) {
        Gen<Integer> lengths = integers(minLength, maxLength);
        return random -> {
            int length = lengths.next(random);
            StringBuilder text = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                text.append(chars.next(random).charValue());
            }
            return text.toString();
        };
    }

    /** Strings of {@code minLength} to {@code maxLength} arbitrary UTF-16 chars ({@link #anyChar}). */
    static Gen<String> strings(int minLength, int maxLength) {
        return strings(anyChar(), minLength, maxLength);
    }

    /** Strings of {@code minLength} to {@code maxLength} chars out of {@code alphabet}. */
    static Gen<String> strings(String alphabet, int minLength, int maxLength) {
        if (alphabet.isEmpty()) {
            throw new IllegalArgumentException("empty alphabet");
        }
        return strings(random -> alphabet.charAt(random.nextInt(alphabet.length())), minLength, maxLength);
    }

    /** A value made of one of {@code first}'s and one of {@code second}'s, drawn in that order. */
    static <A, B, R> Gen<R> combine(Gen<A> first, Gen<B> second, BiFunction<? super A, ? super B, ? extends R> combiner) {
        return random -> {
            A a = first.next(random);
            B b = second.next(random);
            return combiner.apply(a, b);
        };
    }

    /** A function of three values, for {@link #combine(Gen, Gen, Gen, Function3)}. */
    @FunctionalInterface
    interface Function3<A, B, C, R> {
        R apply(A first, B second, C third);
    }

    /** A value made of one of each generator's, drawn in order. */
    static <A, B, C, R> Gen<R> combine(Gen<A> first, Gen<B> second, Gen<C> third,
            Function3<? super A, ? super B, ? super C, ? extends R> combiner) {
        return random -> {
            A a = first.next(random);
            B b = second.next(random);
            C c = third.next(random);
            return combiner.apply(a, b, c);
        };
    }

    /**
     * Mutable maps of 0 to {@code maxSize} entries (a {@link HashMap}, so one key and any value may
     * be null). A key drawn twice is drawn again, a few times at most: with few distinct keys a map
     * may come out smaller than the size drawn.
     */
    static <K, V> Gen<Map<K, V>> maps(Gen<K> keys, Gen<V> values, int maxSize) {
        Gen<Integer> sizes = integers(0, maxSize);
        return random -> {
            int size = sizes.next(random);
            Map<K, V> map = new HashMap<>();
            for (int attempts = 0; map.size() < size && attempts < 10 * size; attempts++) {
                K key = keys.next(random);
                if (!map.containsKey(key)) {
                    map.put(key, values.next(random));
                }
            }
            return map;
        };
    }
}
