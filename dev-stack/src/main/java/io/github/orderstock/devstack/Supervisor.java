package io.github.orderstock.devstack;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What {@code ./start} does when a part dies that nobody stopped (a crash, the OOM killer, a full disk, a
 * {@code kill -9} from a shell): says so, with the exit code, and starts the part again after a pause that doubles from
 * 1 s to 30 s while it keeps dying, and is back to 1 s once the part stayed up for a minute. Only the dead part is
 * restarted; the others wait for it as they would for MongoDB or Kafka elsewhere (the services answer 503 meanwhile and
 * recover on their own, ADR 9). A part stopped or killed through {@link Child#kill()} or {@link Child#stop()} is left
 * alone, so tests that kill parts deliberately are never fought; the system tests do not run a supervisor at all.
 */
public final class Supervisor implements AutoCloseable {

    static final Duration FIRST_DELAY = Duration.ofSeconds(1);
    static final Duration MAX_DELAY = Duration.ofSeconds(30);
    /** Up this long after a restart, a part counts as healthy again: the next death waits {@link #FIRST_DELAY}. */
    static final Duration STABLE_AFTER = Duration.ofSeconds(60);
    private static final Duration CHECK_EVERY = Duration.ofMillis(250);
    private static final int KEEPS_DYING = 3;

    private final Map<Child, Watch> watches = new LinkedHashMap<>();
    private final Consumer<String> console;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("supervisor"));
    private final ExecutorService restarts = Executors.newCachedThreadPool(daemon("supervisor-restart"));
    private volatile boolean closed;

    /** @param console where to say what died and what is done about it (the launcher's console) */
    public Supervisor(List<Child> children, Consumer<String> console, Clock clock) {
        this.console = console;
        this.clock = clock;
        children.forEach(child -> watches.put(child, new Watch()));
    }

    /** Starts watching; call once every part serves. */
    public void start() {
        Instant now = clock.instant();
        watches.values().forEach(watch -> watch.upSince = now);
        timer.scheduleWithFixedDelay(this::check, CHECK_EVERY.toMillis(), CHECK_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Stops watching and abandons restarts under way; call before stopping the stack. */
    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        restarts.shutdownNow();
    }

    private void check() {
        watches.forEach((child, watch) -> {
            try {
                check(child, watch);
            } catch (RuntimeException e) {
                say("could not check %s: %s", child.name(), e);
            }
        });
    }

    private void check(Child child, Watch watch) {
        synchronized (watch) {
            if (closed || watch.restarting) {
                return;
            }
            if (child.isAlive()) {
                if (watch.backOff.stayedUp(watch.upSince, clock.instant())) {
                    watch.restartsInARow = 0;
                }
                return;
            }
            Process dead = child.process();
            if (dead == null || child.stoppedOnPurpose()) {
                return;
            }
            Duration delay = watch.backOff.next();
            watch.restarting = true;
            watch.restartsInARow++;
            String hint = watch.restartsInARow < KEEPS_DYING ? "" : keepsDyingHint(child.logFile());
            say("%s died unexpectedly (%s); restarting it in %d s (restart %d in a row; its log: %s)%s",
                    child.name(), exitDescription(dead.exitValue()), delay.toSeconds(), watch.restartsInARow,
                    StackSummary.display(child.logFile()), hint);
            timer.schedule(() -> restarts.execute(() -> restart(child, watch)), delay.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private void restart(Child child, Watch watch) {
        try {
            if (closed || child.stoppedOnPurpose() || child.isAlive()) {
                return;
            }
            long started = System.nanoTime();
            say("%s starting again (%s)", child.name(), child.address());
            child.start();
            watch.upSince = clock.instant();
            say("%s is back: ready after %.1f s", child.name(), (System.nanoTime() - started) / 1e9);
        } catch (StackException e) {
            if (!closed) {
                // Not ready in time, but alive: end it, so that the next check sees it dead and tries again.
                Process stuck = child.process();
                if (stuck != null && stuck.isAlive()) {
                    stuck.destroyForcibly();
                }
                say("%s did not come back: %s", child.name(), e.getMessage().lines().findFirst().orElse(""));
            }
        } catch (RuntimeException e) {
            // Started meanwhile through the Stack API, or something unforeseen: say so, leave the process be.
            say("%s: restart abandoned: %s", child.name(), e);
        } finally {
            synchronized (watch) {
                watch.restarting = false;
            }
        }
    }

    private void say(String format, Object... args) {
        console.accept(String.format("[%s] %s", LocalTime.ofInstant(clock.instant(), ZoneId.systemDefault())
                .truncatedTo(ChronoUnit.SECONDS), String.format(format, args)));
    }

    /** From the third restart in a row on, the console says where to look. */
    static String keepsDyingHint(Path logFile) {
        Path dataDir = logFile.getParent().getParent();
        return String.format("%n    It keeps dying: the end of %s says why. A full disk is the usual cause: df -h %s "
                + "shows the space left; once there is room it comes back on its own. To give up instead: Ctrl-C and "
                + "./start again later.", StackSummary.display(logFile), StackSummary.display(dataDir));
    }

    static String exitDescription(int code) {
        if (code == 137) {
            return "exit code 137: killed with SIGKILL, by kill -9 or the kernel's OOM killer";
        }
        if (code == 3) {
            return "exit code 3: out of memory (-XX:+ExitOnOutOfMemoryError)";
        }
        if (code == MongoStandIn.CANNOT_WRITE) {
            return "exit code " + code + ": it could not write its file; is the disk full? (see its log)";
        }
        return code > 128 ? "exit code " + code + ": ended by signal " + (code - 128) : "exit code " + code;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            var thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** One part's restarts. */
    private static final class Watch {
        final RestartBackOff backOff = new RestartBackOff(FIRST_DELAY, MAX_DELAY, STABLE_AFTER);
        volatile Instant upSince;
        boolean restarting;
        int restartsInARow;
    }

    /** The pause before a restart: doubles from {@code first} up to {@code max}, back to {@code first} once stable. */
    static final class RestartBackOff {

        private final Duration first;
        private final Duration max;
        private final Duration stableAfter;
        private Duration next;

        RestartBackOff(Duration first, Duration max, Duration stableAfter) {
            this.first = first;
            this.max = max;
            this.stableAfter = stableAfter;
            this.next = first;
        }

        /** The pause before this restart; the one after it will be twice as long, up to the maximum. */
        synchronized Duration next() {
            Duration now = next;
            next = next.multipliedBy(2).compareTo(max) < 0 ? next.multipliedBy(2) : max;
            return now;
        }

        /**
         * The part runs, and has since {@code upSince}: if long enough, the next pause is the first again.
         *
         * @return whether it counts as stable
         */
        synchronized boolean stayedUp(Instant upSince, Instant now) {
            if (upSince != null && !now.isBefore(upSince.plus(stableAfter))) {
                next = first;
                return true;
            }
            return false;
        }
    }
}
