package io.github.orderstock.query.replay;

public class KafkaUnavailableException extends RuntimeException {

    KafkaUnavailableException(String topic, Throwable cause) {
        super("Kafka does not answer for topic '%s'; check KAFKA_BOOTSTRAP_SERVERS and try again.".formatted(topic),
                cause);
    }
}
