package io.github.orderstock.command.publish;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code app.publisher.*}: how the publisher batches, how much it holds, and how long it waits for Kafka.
 *
 * @param maxBatch        events per send round, over all products
 * @param maxHeld         events kept in memory until Kafka acknowledged them; more are read back by key
 * @param lingerMs        the producer's {@code linger.ms}
 * @param progressEvery   how often the acknowledged positions are recorded in MongoDB
 * @param ackTimeout      how long a round waits for Kafka's acknowledgements before it is sent again
 * @param maxBackOff      the longest pause between rounds while Kafka fails
 * @param requestTimeout  the producer's {@code request.timeout.ms}
 * @param deliveryTimeout the producer's {@code delivery.timeout.ms}: a send that cannot reach the broker fails then
 *                        instead of after 2 min, and the publisher sends it again
 */
@ConfigurationProperties("app.publisher")
public record PublisherProperties(@DefaultValue("2000") int maxBatch,
                                  @DefaultValue("200000") int maxHeld,
                                  @DefaultValue("5") int lingerMs,
                                  @DefaultValue("1s") Duration progressEvery,
                                  @DefaultValue("20s") Duration ackTimeout,
                                  @DefaultValue("2s") Duration maxBackOff,
                                  @DefaultValue("10s") Duration requestTimeout,
                                  @DefaultValue("15s") Duration deliveryTimeout) {
}
