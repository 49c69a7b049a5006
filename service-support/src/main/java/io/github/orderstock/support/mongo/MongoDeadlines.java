package io.github.orderstock.support.mongo;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long anything waits on MongoDB ({@code app.mongo.*}, ADR 9). Without these the driver waits for ever for a
 * hung server's answer, and 30 s to find a dead one: every request hung for the whole outage.
 *
 * @param serverSelectionTimeout how long an operation waits for a reachable server (a dead or stopped one)
 * @param connectTimeout         how long opening a connection, and the monitor's heartbeat, may take
 * @param readTimeout            how long one round trip (a command, one batch of a cursor) may take; background
 *                               work (publisher, snapshots) reads in batches, each within it, and retries
 * @param poolWaitTimeout        how long an operation waits for a pooled connection
 * @param heartbeatFrequency     how often the driver's monitor checks the server, so a hung one is noticed
 * @param healthTimeout          how long the health check's ping may take before health says DOWN
 */
@ConfigurationProperties("app.mongo")
record MongoDeadlines(@DefaultValue("2s") Duration serverSelectionTimeout,
                      @DefaultValue("2s") Duration connectTimeout,
                      @DefaultValue("3s") Duration readTimeout,
                      @DefaultValue("2s") Duration poolWaitTimeout,
                      @DefaultValue("1s") Duration heartbeatFrequency,
                      @DefaultValue("1500ms") Duration healthTimeout) {
}
