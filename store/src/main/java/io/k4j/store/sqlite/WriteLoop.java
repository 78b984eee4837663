package io.k4j.store.sqlite;

import io.k4j.store.StoreException;
import io.k4j.store.StoreUnavailableException;
import io.k4j.store.WatchEvent;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: one thread owns the write connection and applies queued writes in batches, one SQLite
 * transaction and so one fsync per batch. Callers block until their batch is durable. An operation that fails
 * its own check (a lost compare-and-swap) fails alone; a failing transaction fails its whole batch and rewinds
 * the revisions it handed out, so revisions stay gap-free.
 */
final class WriteLoop implements AutoCloseable {

    /** One write, run on the writer thread inside the batch's transaction. */
    @FunctionalInterface
    interface WriteOp<T> {
        T apply(WriteTxn txn) throws SQLException;
    }

    private record Pending<T>(WriteOp<T> op, CompletableFuture<T> result) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(WriteLoop.class);
    private static final int MAX_BATCH = 512;
    private static final Pending<Void> STOP = new Pending<>(txn -> null, new CompletableFuture<>());

    private final Connection connection;
    private final WriteTxn txn;
    private final Consumer<List<WatchEvent>> onCommit;
    private final LinkedBlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private boolean closed; // guarded by queue
    /** The revision of the last committed write, set before its writers are told of success. */
    private volatile long committedRevision;

    /**
     * @param onCommit receives the events of each committed batch, on the writer thread, before the writers
     *                 are told of success
     */
    WriteLoop(Connection connection, long committedRevision, Consumer<List<WatchEvent>> onCommit) throws SQLException {
        this.connection = connection;
        this.txn = new WriteTxn(connection, committedRevision);
        this.committedRevision = committedRevision;
        this.onCommit = onCommit;
        this.thread = new Thread(this::run, "k4j-sqlite-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a write and waits until it is durable. */
    <T> T submit(WriteOp<T> op) {
        CompletableFuture<T> result = submitAsync(op);
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting for a write", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StoreException storeException) {
                throw storeException;
            }
            throw new StoreUnavailableException("write failed: " + e.getCause(), e.getCause());
        }
    }

    <T> CompletableFuture<T> submitAsync(WriteOp<T> op) {
        CompletableFuture<T> result = new CompletableFuture<>();
        synchronized (queue) {
            if (closed) {
                result.completeExceptionally(new StoreUnavailableException("the store is closed"));
            } else {
                queue.add(new Pending<>(op, result));
            }
        }
        return result;
    }

    private void run() {
        List<Pending<?>> batch = new ArrayList<>(MAX_BATCH);
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            boolean stop = batch.remove(STOP);
            if (!batch.isEmpty()) {
                execute(batch);
            }
            batch.clear();
            if (stop) {
                break;
            }
        }
        failRemaining();
    }

    private void execute(List<Pending<?>> batch) {
        Object[] results = new Object[batch.size()];
        Throwable[] failures = new Throwable[batch.size()];
        try {
            for (int i = 0; i < batch.size(); i++) {
                try {
                    results[i] = batch.get(i).op().apply(txn);
                } catch (StoreException e) {
                    failures[i] = e;
                }
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            rollback();
            StoreUnavailableException failure = new StoreUnavailableException("write transaction failed: " + e, e);
            LOG.error("write transaction of {} operations failed", batch.size(), e);
            batch.forEach(pending -> pending.result().completeExceptionally(failure));
            return;
        }
        List<WatchEvent> events = txn.committed();
        committedRevision = txn.committedRevision();
        if (!events.isEmpty()) {
            onCommit.accept(events);
        }
        for (int i = 0; i < batch.size(); i++) {
            complete(batch.get(i), results[i], failures[i]);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(Pending<T> pending, Object result, Throwable failure) {
        if (failure != null) {
            pending.result().completeExceptionally(failure);
        } else {
            pending.result().complete((T) result);
        }
    }

    private void rollback() {
        txn.rolledBack();
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.error("rollback failed", e);
        }
    }

    private void failRemaining() {
        StoreUnavailableException closedError = new StoreUnavailableException("the store is closed");
        Pending<?> pending;
        while ((pending = queue.poll()) != null) {
            pending.result().completeExceptionally(closedError);
        }
    }

    /** The revision of the last committed write: at least that of every write acknowledged so far. */
    long committedRevision() {
        return committedRevision;
    }

    /** Finishes the writes already queued, refuses new ones, and stops the thread. */
    @Override
    public void close() {
        synchronized (queue) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(STOP);
        }
        try {
            thread.join();
            txn.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException e) {
            LOG.warn("closing write statements failed", e);
        }
    }
}
