package io.github.orderstock.command.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final ExecutorService callers = Executors.newCachedThreadPool();
    private final List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstBatchEntered = new CountDownLatch(1);
    private final CountDownLatch releaseFirstBatch = new CountDownLatch(1);

    @AfterEach
    void stopCallers() {
        releaseFirstBatch.countDown();
        callers.shutdownNow();
    }

    @Test
    void handlesALoneItemAtOnceInABatchOfItsOwn() {
        Batches<String> commit = new Batches<>(10, this::timesTen);

        assertThat(commit.submit("a", 7)).isEqualTo(70);
        assertThat(batches).containsExactly(List.of(7));
    }

    @Test
    void handlesTheItemsThatArriveDuringABatchTogetherInTheNext() throws Exception {
        fiveQueuedBehindAHeldFirstBatchThenReleased(10);

        assertThat(batches).hasSize(2);
        assertThat(batches.get(1)).containsExactlyInAnyOrder(1, 2, 3, 4, 5);
    }

    @Test
    void neverPutsMoreThanMaxBatchItemsIntoOneBatch() throws Exception {
        Batches<String> commit = fiveQueuedBehindAHeldFirstBatchThenReleased(2);

        assertThat(batches).extracting(List::size).containsExactly(1, 2, 2, 1);
        assertThat(commit.waiting("a")).isZero();
    }

    @Test
    void givesEveryCallerOfAFailedBatchTheFailureAndGoesOnWithTheNext() throws Exception {
        Batches<String> commit = new Batches<>(10, (key, items) -> {
            List<Integer> results = firstBatchWaits(key, items);
            if (items.contains(-1)) {
                throw new IllegalStateException("storage unavailable");
            }
            return results;
        });
        CompletableFuture<Integer> first = submit(commit, "a", 0);
        assertThat(firstBatchEntered.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Integer> failing = submit(commit, "a", -1);
        CompletableFuture<Integer> sameBatch = submit(commit, "a", 3);
        await().atMost(DEADLINE).until(() -> commit.waiting("a") == 2);

        releaseFirstBatch.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isZero();
        for (CompletableFuture<Integer> failed : List.of(failing, sameBatch)) {
            assertThatThrownBy(() -> failed.get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasRootCauseInstanceOf(IllegalStateException.class)
                    .hasRootCauseMessage("storage unavailable");
        }
        assertThat(commit.submit("a", 4)).isEqualTo(40);
    }

    @Test
    void handlesBatchesOfOtherKeysWhileOneKeyIsBusy() throws Exception {
        Batches<String> commit = new Batches<>(10, this::firstBatchWaits);
        CompletableFuture<Integer> blocked = submit(commit, "a", 1);
        assertThat(firstBatchEntered.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(submit(commit, "b", 2).get(10, TimeUnit.SECONDS)).isEqualTo(20);
        assertThat(blocked).isNotDone();

        releaseFirstBatch.countDown();
        assertThat(blocked.get(10, TimeUnit.SECONDS)).isEqualTo(10);
    }

    @Test
    void answersEveryCallerItsOwnResultUnderConcurrentLoad() throws Exception {
        Batches<Integer> commit = new Batches<>(50, (key, items) -> timesTen("", items));
        ExecutorService threads = Executors.newFixedThreadPool(32);
        List<CompletableFuture<Integer>> results = new ArrayList<>();
        try {
            for (int i = 0; i < 2_000; i++) {
                int item = i;
                results.add(CompletableFuture.supplyAsync(() -> commit.submit(item % 3, item), threads));
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(i * 10);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(batches.stream().mapToInt(List::size).sum()).isEqualTo(2_000);
        assertThat(batches).allSatisfy(batch -> assertThat(batch).hasSizeBetween(1, 50));
    }

    /**
     * Submits item 0 of key "a", whose batch holds until the test releases it, then items 1 to 5; once all five queue
     * behind it, releases the first batch and checks that each item {@code i} is answered {@code i * 10}.
     */
    private Batches<String> fiveQueuedBehindAHeldFirstBatchThenReleased(int maxBatch) throws Exception {
        Batches<String> commit = new Batches<>(maxBatch, this::firstBatchWaits);
        List<CompletableFuture<Integer>> items = new ArrayList<>(List.of(submit(commit, "a", 0)));
        assertThat(firstBatchEntered.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 1; i <= 5; i++) {
            items.add(submit(commit, "a", i));
        }
        await().atMost(DEADLINE).until(() -> commit.waiting("a") == 5);

        releaseFirstBatch.countDown();

        for (int i = 0; i < items.size(); i++) {
            assertThat(items.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(i * 10);
        }
        return commit;
    }

    private CompletableFuture<Integer> submit(Batches<String> commit, String key, int item) {
        return CompletableFuture.supplyAsync(() -> commit.submit(key, item), callers);
    }

    private List<Integer> timesTen(String key, List<Integer> items) {
        batches.add(List.copyOf(items));
        return items.stream().map(item -> item * 10).toList();
    }

    /** The batch holding item 0 (or the first of key "a") waits until the test releases it. */
    private List<Integer> firstBatchWaits(String key, List<Integer> items) {
        if (batches.isEmpty() && key.equals("a")) {
            firstBatchEntered.countDown();
            try {
                if (!releaseFirstBatch.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never released the first batch");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return timesTen(key, items);
    }

    /** A group commit with the handler every caller of a test passes. */
    private static final class Batches<K> {
        private final GroupCommit<K, Integer, Integer> commit;
        private final GroupCommit.BatchHandler<K, Integer, Integer> handler;

        Batches(int maxBatch, GroupCommit.BatchHandler<K, Integer, Integer> handler) {
            this.commit = new GroupCommit<>(maxBatch);
            this.handler = handler;
        }

        Integer submit(K key, Integer item) {
            return commit.submit(key, item, handler);
        }

        int waiting(K key) {
            return commit.waiting(key);
        }
    }
}
