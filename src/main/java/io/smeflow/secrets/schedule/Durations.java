package io.smeflow.secrets.schedule;

import io.smeflow.secrets.api.v1alpha1.ApiPatterns;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes durations in the API's grammar ({@link ApiPatterns#DURATION}): either {@code 0},
 * or one or more groups of digits each followed by a unit, {@code s}, {@code m}, {@code h} or
 * {@code d} (one day is always 24 hours). Examples: {@code 90s}, {@code 15m}, {@code 1h30m}, {@code
 * 30d}, {@code 720h}. Groups are added up, so {@code 1h1h} is two hours, as in Go.
 */
public final class Durations {

    /** The longest duration accepted: 36500d (about 100 years). */
    public static final Duration MAX = Duration.ofDays(36_500);

    private static final Pattern GRAMMAR = Pattern.compile(ApiPatterns.DURATION);
    private static final Pattern TERM = Pattern.compile("([0-9]+)([smhd])");
    private static final String HOW =
            "write numbers each followed by a unit s, m, h or d, with no spaces or signs,"
                    + " e.g. 30d, 1h30m or 90s (or 0)";
    private static final int MAX_ECHO = 64;
    private static final long MINUTE = 60;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;

    private Durations() {}

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException if {@code text} is null, blank, not in the grammar, or
     *     longer than {@link #MAX}; the message says what is wrong and shows valid values
     */
    public static Duration parse(String text) {
        return parse("duration", text);
    }

    /**
     * Parses {@code text}, naming {@code field} (e.g. {@code "interval"}) in any error message.
     *
     * @throws IllegalArgumentException as {@link #parse(String)}
     */
    public static Duration parse(String field, String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(field + " is empty; " + HOW);
        }
        if (!GRAMMAR.matcher(text).matches()) {
            throw new IllegalArgumentException(
                    field + " \"" + echo(text) + "\" is not a valid duration; " + HOW);
        }
        BigInteger seconds = BigInteger.ZERO;
        Matcher term = TERM.matcher(text);
        while (term.find()) {
            BigInteger count = new BigInteger(term.group(1));
            seconds = seconds.add(count.multiply(BigInteger.valueOf(unitSeconds(term.group(2)))));
        }
        if (seconds.compareTo(BigInteger.valueOf(MAX.getSeconds())) > 0) {
            throw new IllegalArgumentException(
                    field
                            + " \""
                            + echo(text)
                            + "\" is too long; the longest supported duration is "
                            + format(MAX)
                            + ", e.g. use 30d");
        }
        return Duration.ofSeconds(seconds.longValueExact());
    }

    /**
     * Writes {@code duration} in the grammar, canonically: largest units first (days, hours,
     * minutes, seconds), leaving out zero parts, e.g. {@code 30d}, {@code 1h30m}, {@code 1d12h},
     * {@code 0}. Fractions of a second are dropped. {@code parse(format(d))} equals {@code d} for
     * every whole-second {@code d}.
     *
     * @throws IllegalArgumentException if {@code duration} is negative
     */
    public static String format(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException(
                    "a negative duration cannot be written as a duration value; e.g. 0 or 1h");
        }
        long seconds = duration.getSeconds();
        if (seconds == 0) {
            return "0";
        }
        StringBuilder out = new StringBuilder();
        seconds = append(out, seconds, DAY, 'd');
        seconds = append(out, seconds, HOUR, 'h');
        seconds = append(out, seconds, MINUTE, 'm');
        append(out, seconds, 1, 's');
        return out.toString();
    }

    private static long append(StringBuilder out, long seconds, long unit, char suffix) {
        long count = seconds / unit;
        if (count > 0) {
            out.append(count).append(suffix);
        }
        return seconds % unit;
    }

    private static long unitSeconds(String unit) {
        switch (unit) {
            case "s":
                return 1;
            case "m":
                return MINUTE;
            case "h":
                return HOUR;
            case "d":
                return DAY;
            default:
                throw new IllegalStateException("unit outside the grammar: " + unit);
        }
    }

    /** The offending text, cut to a readable length and without control characters. */
    static String echo(String text) {
        String cut = text.length() > MAX_ECHO ? text.substring(0, MAX_ECHO) + "..." : text;
        StringBuilder out = new StringBuilder(cut.length());
        cut.codePoints().forEach(cp -> out.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
        return out.toString();
    }
}
