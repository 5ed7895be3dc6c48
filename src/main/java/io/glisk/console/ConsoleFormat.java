package io.glisk.console;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * How the console's templates show times, ages, shares and long identifiers ({@code ${@consoleFormat.time(…)}}).
 * Times are UTC, as stored; the page's script turns them into "3 min ago" in the reader's browser.
 */
@Component("consoleFormat")
public class ConsoleFormat {

    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** A database timestamp as "2026-11-30 21:03:44 UTC"; empty when there is none. */
    public String time(Object value) {
        Instant instant = instant(value);
        return instant == null ? "" : UTC.format(instant);
    }

    /** The same instant for a {@code <time datetime>} attribute. */
    public String iso(Object value) {
        Instant instant = instant(value);
        return instant == null ? "" : instant.toString();
    }

    /** A number of seconds as "42 s", "5 min", "3 h 10 min", "2 d 4 h". */
    public String duration(long seconds) {
        if (seconds < 60) {
            return seconds + " s";
        }
        long minutes = seconds / 60;
        if (minutes < 60) {
            return minutes + " min";
        }
        long hours = minutes / 60;
        if (hours < 24) {
            return minutes % 60 == 0 ? hours + " h" : hours + " h " + minutes % 60 + " min";
        }
        return hours % 24 == 0 ? hours / 24 + " d" : hours / 24 + " d " + hours % 24 + " h";
    }

    /**
     * A share (0..1) as a whole percentage, rounded down: "100 %" only when all of it is done, never while the last
     * photo is still being made.
     */
    public String percent(Number share) {
        // 29 of 100 is 0.29, which times 100 is 28.999…: a hair added so that it reads 29 %
        return (int) Math.floor(share.doubleValue() * 100 + 1e-9) + " %";
    }

    /** The parts that are there, joined ("Austin, TX", or "Austin" when the state is missing); empty for none. */
    public String joined(String separator, String... parts) {
        return Arrays.stream(parts).filter(part -> part != null && !part.isBlank()).collect(Collectors.joining(separator));
    }

    /** A CID or transaction hash short enough for a table cell: its start and end, which is how people compare them. */
    public String shortId(String id) {
        if (id == null) {
            return "";
        }
        return id.length() <= 20 ? id : id.substring(0, 10) + "…" + id.substring(id.length() - 6);
    }

    private static Instant instant(Object value) {
        return switch (value) {
            case null -> null;
            case Timestamp timestamp -> timestamp.toInstant();
            case OffsetDateTime offset -> offset.toInstant();
            case Instant instant -> instant;
            // the avatar views give their times as ISO-8601 text, as their JSON does
            case String iso -> Instant.parse(iso);
            default -> throw new IllegalArgumentException("not a time: " + value.getClass().getName());
        };
    }
}
