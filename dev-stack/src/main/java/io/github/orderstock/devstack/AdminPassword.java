package io.github.orderstock.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The admin's password: the launcher's {@code ADMIN_PASSWORD} if set, else one generated on the first start and kept
 * owner-only (0600) in {@code <data>/admin-password}, so it stays the same across restarts.
 */
final class AdminPassword {

    private AdminPassword() {
    }

    static String keptIn(Path dataDir) {
        String given = System.getenv("ADMIN_PASSWORD");
        if (given != null && !given.isBlank()) {
            return given;
        }
        Path file = dataDir.resolve("admin-password");
        try {
            if (Files.isRegularFile(file)) {
                // Files written before it was owner-only (issue 13) become so.
                ownerOnly(file);
                return Files.readString(file).trim();
            }
            byte[] secret = new byte[12];
            new SecureRandom().nextBytes(secret);
            String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
            Files.createDirectories(dataDir);
            // Created owner-only (0600) before the secret is in it, so no other user can ever read it.
            Path partial = Files.createTempFile(dataDir, "admin-password", ".tmp");
            ownerOnly(partial);
            Files.writeString(partial, generated + System.lineSeparator());
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
            return generated;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot keep the admin password in " + file, e);
        }
    }

    private static void ownerOnly(Path file) throws IOException {
        if (Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class)) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }
}
