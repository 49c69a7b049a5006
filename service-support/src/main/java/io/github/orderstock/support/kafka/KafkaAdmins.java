package io.github.orderstock.support.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** Kafka admin clients of both services: every call they make gives up after {@code timeout}, never hangs. */
public final class KafkaAdmins {

    private KafkaAdmins() {
    }

    public static Admin create(List<String> bootstrapServers, String clientId, Duration timeout) {
        int millis = (int) timeout.toMillis();
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", bootstrapServers),
                AdminClientConfig.CLIENT_ID_CONFIG, clientId,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis));
    }
}
