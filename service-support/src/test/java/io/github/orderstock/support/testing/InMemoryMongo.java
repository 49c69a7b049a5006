package io.github.orderstock.support.testing;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The MongoDB stand-in (mongo-java-server, memory backend) for a test, reached through the real driver and stopped
 * when it is done: register it with {@code @RegisterExtension}, as a static field for a test class
 * ({@link #forTheClass()}, e.g. behind a Spring context) or an instance field for each test ({@link #forEachTest()}).
 */
public final class InMemoryMongo implements AfterAllCallback, AfterEachCallback {

    private final boolean perTest;
    private final MongoServer server = new MongoServer(new MemoryBackend());
    private final String address = server.bindAndGetConnectionString();
    private MongoClient client;

    private InMemoryMongo(boolean perTest) {
        this.perTest = perTest;
    }

    public static InMemoryMongo forTheClass() {
        return new InMemoryMongo(false);
    }

    public static InMemoryMongo forEachTest() {
        return new InMemoryMongo(true);
    }

    /** The connection string of {@code database}, e.g. for {@code spring.mongodb.uri}. */
    public String uri(String database) {
        return address + "/" + database;
    }

    public synchronized MongoClient client() {
        if (client == null) {
            client = MongoClients.create(address);
        }
        return client;
    }

    public MongoDatabase database(String name) {
        return client().getDatabase(name);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (perTest) {
            stop();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    private synchronized void stop() {
        if (client != null) {
            client.close();
            client = null;
        }
        server.shutdownNow();
    }
}
