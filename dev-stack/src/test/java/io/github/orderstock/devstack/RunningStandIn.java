package io.github.orderstock.devstack;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in served in this JVM, as MongoStandIn serves it (16 netty workers), with a driver client on it; or only a
 * client, on a stand-in running elsewhere.
 */
final class RunningStandIn implements AutoCloseable {

    private final MongoServer server;
    private final MongoClient client;

    RunningStandIn(MongoBackend backend) {
        server = new MongoServer(backend);
        server.bind(new InetSocketAddress("127.0.0.1", 0), 1, 16);
        client = client("mongodb://127.0.0.1:" + server.getLocalAddress().getPort());
    }

    RunningStandIn(String uri) {
        server = null;
        client = client(uri);
    }

    private static MongoClient client(String uri) {
        return MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(uri))
                .applyToConnectionPoolSettings(pool -> pool.maxSize(64))
                .applyToSocketSettings(socket -> socket.readTimeout(60, TimeUnit.SECONDS))
                .build());
    }

    MongoClient client() {
        return client;
    }

    /** Closes the client, then the server if it runs here, which closes (and commits) the backend. */
    @Override
    public void close() {
        client.close();
        if (server != null) {
            server.shutdownNow();
        }
    }
}
