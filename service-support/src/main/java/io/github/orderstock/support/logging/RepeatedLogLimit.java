package io.github.orderstock.support.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Marker;

/**
 * Lets a warning or error through at most once per interval (10 s unless {@code logging.repeat-interval-seconds} in
 * {@code logback-spring.xml} says otherwise) for each logger and message pattern, and says how many were left out
 * when the next one goes through. While MongoDB or Kafka is down, every request and every retry fails the same way;
 * logged in full, with stack traces, that wrote 136 MB in three minutes into the data directory of a disk that had just
 * filled up (issue 13). Messages below WARN, and each pattern's first occurrence, pass untouched.
 */
public final class RepeatedLogLimit extends TurboFilter {

    /** Patterns remembered at most; beyond that the memory starts afresh (at worst, some repeats get through). */
    private static final int MAX_PATTERNS = 1_000;
    private static final ThreadLocal<Boolean> REPORTING = ThreadLocal.withInitial(() -> false);

    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final LongSupplier millis;
    private long intervalMillis = 10_000;

    public RepeatedLogLimit() {
        this(System::currentTimeMillis);
    }

    RepeatedLogLimit(LongSupplier millis) {
        this.millis = millis;
    }

    /** From {@code <intervalSeconds>} in the Logback configuration. */
    public void setIntervalSeconds(long seconds) {
        this.intervalMillis = seconds * 1_000;
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
                              Throwable t) {
        if (level == null || format == null || !level.isGreaterOrEqual(Level.WARN) || REPORTING.get()
                || !level.isGreaterOrEqual(logger.getEffectiveLevel())) {
            return FilterReply.NEUTRAL;
        }
        if (windows.size() > MAX_PATTERNS) {
            windows.clear();
        }
        Window window = windows.computeIfAbsent(logger.getName() + '\u0000' + format, key -> new Window());
        long now = millis.getAsLong();
        long leftOut;
        long lastShown;
        synchronized (window) {
            if (window.shownAt != Long.MIN_VALUE && now - window.shownAt < intervalMillis) {
                window.leftOut++;
                return FilterReply.DENY;
            }
            leftOut = window.leftOut;
            lastShown = window.shownAt;
            window.leftOut = 0;
            window.shownAt = now;
        }
        if (leftOut > 0) {
            REPORTING.set(true);
            try {
                logger.warn("The next message was logged {} more times in the last {} s and left out then (at most "
                        + "one a {} s per message):", leftOut, Math.max(1, (now - lastShown) / 1_000),
                        intervalMillis / 1_000);
            } finally {
                REPORTING.set(false);
            }
        }
        return FilterReply.NEUTRAL;
    }

    /** One message pattern's last appearance in the log and the repeats left out since. */
    private static final class Window {
        long shownAt = Long.MIN_VALUE;
        long leftOut;
    }
}
