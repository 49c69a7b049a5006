package io.github.orderstock.command.publish;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.extensions.kafka.eventhandling.KafkaMessageConverter;

/**
 * Sends a round to Kafka in one go and waits, up to {@code ackTimeout} for the whole round, for the broker's
 * acknowledgements; counts per stream the unbroken run of acknowledged events from its first one. A stream stops
 * counting at its first failure: what follows a gap is sent again.
 */
final class RoundSender {

    /**
     * @param incomplete how many streams of the round were not acknowledged in full
     * @param failure    the first failure, or null when none was reported (every stream complete, or interrupted)
     */
    record Result(int incomplete, Throwable failure) {
    }

    private final Producer<String, byte[]> producer;
    private final KafkaMessageConverter<String, byte[]> converter;
    private final String topic;
    private final Duration ackTimeout;

    RoundSender(Producer<String, byte[]> producer, KafkaMessageConverter<String, byte[]> converter, String topic,
                Duration ackTimeout) {
        this.producer = producer;
        this.converter = converter;
        this.topic = topic;
        this.ackTimeout = ackTimeout;
    }

    /** Sends the round; sets each batch's {@link StreamBatch#acknowledged}. Interrupted, it leaves the flag set. */
    Result send(List<StreamBatch> round) {
        List<List<Future<RecordMetadata>>> sent = new ArrayList<>(round.size());
        RuntimeException sendFailure = null;
        for (StreamBatch batch : round) {
            List<Future<RecordMetadata>> futures = new ArrayList<>(batch.events.size());
            for (DomainEventMessage<?> event : batch.events) {
                if (sendFailure != null) {
                    break;
                }
                try {
                    futures.add(producer.send(converter.createKafkaMessage(event, topic)));
                } catch (RuntimeException e) {
                    sendFailure = e;
                }
            }
            sent.add(futures);
        }
        long deadline = System.nanoTime() + ackTimeout.toNanos();
        int incomplete = 0;
        Throwable firstFailure = sendFailure;
        for (int i = 0; i < round.size(); i++) {
            StreamBatch batch = round.get(i);
            int run = 0;
            for (Future<RecordMetadata> future : sent.get(i)) {
                try {
                    future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    run++;
                } catch (ExecutionException e) {
                    firstFailure = firstFailure == null ? e.getCause() : firstFailure;
                    break;
                } catch (TimeoutException e) {
                    firstFailure = firstFailure == null ? e : firstFailure;
                    break;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            batch.acknowledged = run;
            if (!batch.complete()) {
                incomplete++;
            }
        }
        return new Result(incomplete, incomplete > 0 ? firstFailure : null);
    }
}
