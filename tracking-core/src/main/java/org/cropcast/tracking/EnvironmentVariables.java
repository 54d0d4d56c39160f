package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Environment variables read and validated like configuration keys: each value is parsed with its
 * type and range, and a bad one is a {@link CropcastException} of the caller's (user-input) error
 * code naming the variable, the expected form and the value shown redacted on one line, never an
 * exception of the parser. An unset or blank variable takes the default.
 */
public final class EnvironmentVariables {
    private final Map<String, String> environment;
    private final ErrorCode invalid;

    /** @param invalid the code of a bad value; its category should be USER_INPUT */
    public EnvironmentVariables(Map<String, String> environment, ErrorCode invalid) {
        this.environment = requireNonNull(environment, "environment is null");
        this.invalid = requireNonNull(invalid, "invalid is null");
    }

    /** A whole number from {@code min} to {@code max} ("120", not "120.0" nor "1e2", as Python's {@code int()}). */
    public long wholeNumber(String name, long min, long max, long defaultValue) {
        String value = environment.get(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw invalid(name, "a whole number from " + min + " to " + max, value);
        }
        if (parsed < min || parsed > max) {
            throw invalid(name, "a whole number from " + min + " to " + max, value);
        }
        return parsed;
    }

    /** A number of seconds, decimals allowed ("0.5"), from {@code min} (exclusive when {@code min} is 0) to {@code max}. */
    public Duration seconds(String name, Duration min, Duration max, Duration defaultValue) {
        String value = environment.get(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        String expected = "a number of seconds " + (min.isZero() ? "above 0" : "from " + display(min)) + " up to " + display(max);
        Duration parsed;
        try {
            BigDecimal seconds = new BigDecimal(value.trim());
            parsed = Duration.ofNanos(seconds.movePointRight(9).longValueExact());
        } catch (NumberFormatException | ArithmeticException e) {
            throw invalid(name, expected, value);
        }
        if (parsed.compareTo(min) < 0 || min.isZero() && parsed.isZero() || parsed.compareTo(max) > 0) {
            throw invalid(name, expected, value);
        }
        return parsed;
    }

    /** {@code true}/{@code 1} or {@code false}/{@code 0}, any case. */
    public boolean bool(String name, boolean defaultValue) {
        String value = environment.get(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw invalid(name, "true or false", value);
        };
    }

    private CropcastException invalid(String name, String expected, String value) {
        return new CropcastException(invalid, "environment variable " + name + ": expected " + expected + ", got '"
                + Redactor.truncateForMessage(Redactor.redact(value)) + "'");
    }

    private static String display(Duration d) {
        return new BigDecimal(d.toNanos()).movePointLeft(9).stripTrailingZeros().toPlainString();
    }
}
