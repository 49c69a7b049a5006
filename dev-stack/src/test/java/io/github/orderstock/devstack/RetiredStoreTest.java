package io.github.orderstock.devstack;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A data directory written by the stand-in's former storage engine is refused with what to do, never opened. */
class RetiredStoreTest {

    @TempDir
    Path dataDir;

    @Test
    void refusesTheFormerEnginesFileAndSaysToMoveTheDataDirectoryAway() throws Exception {
        Path mongo = Files.createDirectories(dataDir.resolve("mongo"));
        Files.writeString(mongo.resolve("shop.mv"), "H:2,block:2,blockSize:1000,chunk:7,format:3");

        assertThatThrownBy(() -> MongoStandIn.refuseRetiredStore(mongo, StackOptions.MongoBackend.H2))
                .isInstanceOf(StackException.class)
                .hasMessageContaining(mongo.resolve("shop.mv").toString())
                .hasMessageContaining("former storage engine")
                .hasMessageContaining("mv " + dataDir + " " + dataDir + ".before-h2 && ./start")
                .hasMessageContaining("--data-dir");
    }

    @Test
    void startsOnAFreshDirectoryAndOnItsOwnFile() throws Exception {
        Path mongo = Files.createDirectories(dataDir.resolve("mongo"));

        assertThatCode(() -> MongoStandIn.refuseRetiredStore(mongo, StackOptions.MongoBackend.H2))
                .doesNotThrowAnyException();
        Files.writeString(mongo.resolve(MongoStandIn.H2_FILE), "");
        assertThatCode(() -> MongoStandIn.refuseRetiredStore(mongo, StackOptions.MongoBackend.H2))
                .doesNotThrowAnyException();
    }

    @Test
    void theMemoryBackendReadsNoFileAndStartsBesideAnOldOne() throws Exception {
        Path mongo = Files.createDirectories(dataDir.resolve("mongo"));
        Files.writeString(mongo.resolve("shop.mv"), "old");

        assertThatCode(() -> MongoStandIn.refuseRetiredStore(mongo, StackOptions.MongoBackend.MEMORY))
                .doesNotThrowAnyException();
    }
}
