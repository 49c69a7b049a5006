package io.github.orderstock.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated admin password is readable by its owner only (issue 13), also when an older file was not. */
class AdminPasswordFileTest {

    @TempDir
    Path dataDir;

    @Test
    void generatedPasswordFileIsOwnerOnly() throws Exception {
        assumeTrue(System.getenv("ADMIN_PASSWORD") == null, "ADMIN_PASSWORD is set: no file is written");
        String password = new Stack(options()).adminPassword();
        Path file = dataDir.resolve("admin-password");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file).trim()).isEqualTo(password);
    }

    @Test
    void aWorldReadablePasswordFileBecomesOwnerOnly() throws Exception {
        assumeTrue(System.getenv("ADMIN_PASSWORD") == null, "ADMIN_PASSWORD is set: no file is read");
        Path file = Files.writeString(dataDir.resolve("admin-password"), "older\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(new Stack(options()).adminPassword()).isEqualTo("older");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    /** Nothing starts, so the default ports do. */
    private StackOptions options() {
        return StackOptions.parse(List.of("--data-dir", dataDir.toString()), Map.of());
    }
}
