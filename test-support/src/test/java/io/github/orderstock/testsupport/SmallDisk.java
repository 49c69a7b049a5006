package io.github.orderstock.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A tmpfs of a few hundred MB mounted over a test's data directory, so that a test can fill it up and free it again
 * without touching the machine's disk. Mounting needs root (CAP_SYS_ADMIN); where that is missing, {@link #mounted()}
 * is false and {@link #whyNot()} says why.
 */
final class SmallDisk implements AutoCloseable {

    private final Path dir;
    private final String whyNot;

    private SmallDisk(Path dir, String whyNot) {
        this.dir = dir;
        this.whyNot = whyNot;
    }

    /** Mounts a tmpfs of {@code size} (as {@code mount -o size=}, e.g. {@code 512m}) over the empty {@code dir}. */
    static SmallDisk mount(Path dir, String size) {
        String failure = run("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0700", "tmpfs", dir.toString());
        return new SmallDisk(dir, failure);
    }

    boolean mounted() {
        return whyNot == null;
    }

    String whyNot() {
        return whyNot;
    }

    /** Writes a ballast file until the file system is full; the bytes it took. */
    long fill() throws IOException {
        byte[] block = new byte[1 << 20];
        long written = 0;
        try (OutputStream out = Files.newOutputStream(ballast())) {
            while (true) {
                out.write(block);
                written += block.length;
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
        return written;
    }

    /** Deletes the ballast: the space is there again. */
    void free() throws IOException {
        Files.deleteIfExists(ballast());
    }

    private Path ballast() {
        return dir.resolve("ballast");
    }

    /** Unmounts the tmpfs: whatever the test wrote there is gone. */
    @Override
    public void close() {
        if (mounted()) {
            String failure = run("umount", dir.toString());
            if (failure != null) {
                run("umount", "-l", dir.toString());
            }
        }
    }

    /** Runs a command; null when it succeeded, else what it said. */
    private static String run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String said = new String(process.getInputStream().readAllBytes()).strip();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return String.join(" ", command) + " did not end within 30 s";
            }
            return process.exitValue() == 0 ? null
                    : "%s exited with %d: %s".formatted(String.join(" ", command), process.exitValue(), said);
        } catch (IOException e) {
            return String.join(" ", command) + " could not run: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return String.join(" ", command) + " interrupted";
        }
    }
}
