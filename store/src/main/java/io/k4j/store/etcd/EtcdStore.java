package io.k4j.store.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.k4j.store.CompactedException;
import io.k4j.store.ConflictException;
import io.k4j.store.DeleteResult;
import io.k4j.store.FutureRevisionException;
import io.k4j.store.GetResult;
import io.k4j.store.KeyExistsException;
import io.k4j.store.KeyNotFoundException;
import io.k4j.store.KeyValue;
import io.k4j.store.KeyValueStore;
import io.k4j.store.LeaseNotFoundException;
import io.k4j.store.RangeRequest;
import io.k4j.store.RangeResult;
import io.k4j.store.StoreException;
import io.k4j.store.StoreStartupException;
import io.k4j.store.StoreUnavailableException;
import io.k4j.store.ValueTooLargeException;
import io.k4j.store.Watch;
import io.k4j.store.WatchListener;
import io.k4j.store.internal.KeyRange;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HA backend: a real etcd v3 cluster through jetcd. Each operation maps to one etcd request (creates and
 * compare-and-swaps are transactions guarded on version or mod revision), so the semantics are etcd's own.
 * Requests time out after {@link EtcdOptions#requestTimeout()}; a timed-out write was not acknowledged.
 */
public final class EtcdStore implements KeyValueStore {

    private static final Logger LOG = LoggerFactory.getLogger(EtcdStore.class);
    /** etcd refuses an empty key; this one sorts first and is never written. */
    private static final int MAX_RESPONSE_BYTES = 1 << 30;
    private static final ByteSequence PROBE_KEY = ByteSequence.from(new byte[] {0});

    private final EtcdOptions options;
    private final Client client;
    private final KV kv;
    private final AtomicLong knownCompaction = new AtomicLong();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "k4j-etcd-watch-retry");
        thread.setDaemon(true);
        return thread;
    });

    private EtcdStore(EtcdOptions options, Client client) {
        this.options = options;
        this.client = client;
        this.kv = client.getKVClient();
    }

    /**
     * Connects and makes sure the cluster answers, trying {@link EtcdOptions#startupAttempts()} times.
     *
     * @throws StoreStartupException if it never does
     */
    public static EtcdStore connect(EtcdOptions options) {
        Client client = buildClient(options);
        EtcdStore store = new EtcdStore(options, client);
        StoreException last = null;
        for (int attempt = 1; attempt <= options.startupAttempts(); attempt++) {
            try {
                store.currentRevision();
                return store;
            } catch (StoreException e) {
                last = e;
                LOG.info("etcd at {} not answering (attempt {} of {}): {}", options.endpoints(), attempt,
                        options.startupAttempts(), e.getMessage());
                sleepBeforeRetry(attempt);
            }
        }
        client.close();
        throw new StoreStartupException("etcd at " + options.endpoints() + " did not answer after "
                + options.startupAttempts() + " attempts: " + (last == null ? "" : last.getMessage()), last);
    }

    private static void sleepBeforeRetry(int attempt) {
        try {
            Thread.sleep(Math.min(2_000, 250L * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreStartupException("interrupted while connecting to etcd", e);
        }
    }

    private static Client buildClient(EtcdOptions options) {
        ClientBuilder builder = Client.builder()
                .endpoints(options.endpoints())
                .connectTimeout(options.requestTimeout())
                .keepaliveTime(Duration.ofSeconds(10))
                .keepaliveTimeout(Duration.ofSeconds(3))
                // Fail fast on a dead member instead of queueing behind it; the caller's timeout bounds the rest.
                .waitForReady(false)
                // A list of many large objects easily passes gRPC's 4 MiB default; the API server must read it.
                .maxInboundMessageSize(MAX_RESPONSE_BYTES)
                .retryDelay(50)
                .retryMaxDelay(500)
                .retryMaxDuration(options.requestTimeout());
        if (!options.keyPrefix().isEmpty()) {
            builder.namespace(bytes(options.keyPrefix()));
        }
        if (options.tls()) {
            try {
                builder.sslContext(ssl -> {
                    ssl.trustManager(options.caFile().toFile());
                    if (options.certFile() != null) {
                        ssl.keyManager(options.certFile().toFile(), options.keyFile().toFile());
                    }
                });
            } catch (SSLException e) {
                throw new StoreStartupException("cannot set up TLS for etcd: " + e.getMessage(), e);
            }
        }
        return builder.build();
    }

    @Override
    public GetResult get(String key) {
        GetResponse response = await(kv.get(bytes(key)));
        Optional<KeyValue> found = response.getKvs().stream().findFirst().map(EtcdStore::toKeyValue);
        return new GetResult(found, response.getHeader().getRevision());
    }

    @Override
    public RangeResult range(RangeRequest request) {
        byte[] start = request.startAfter() != null
                ? KeyRange.successor(request.startAfter())
                : nonEmpty(KeyRange.bytes(request.prefix()));
        byte[] end = KeyRange.prefixEnd(KeyRange.bytes(request.prefix()));
        GetOption.Builder option = GetOption.builder().withRange(ByteSequence.from(end)).withLimit(request.limit());
        if (request.revision() > 0) {
            option.withRevision(request.revision());
        }
        GetResponse response = await(kv.get(ByteSequence.from(start), option.build()), request.revision());
        List<KeyValue> items = response.getKvs().stream().map(EtcdStore::toKeyValue).toList();
        long revision = request.revision() > 0 ? request.revision() : response.getHeader().getRevision();
        return new RangeResult(items, response.isMore(), response.getCount(), revision);
    }

    @Override
    public KeyValue create(String key, byte[] value, long lease) {
        ValueTooLargeException.check(key, value);
        ByteSequence k = bytes(key);
        TxnResponse response = await(kv.txn()
                .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.version(0)))
                .Then(Op.put(k, ByteSequence.from(value), putOption(lease)))
                .Else(Op.get(k, GetOption.DEFAULT))
                .commit());
        if (!response.isSucceeded()) {
            throw new KeyExistsException(key, firstKv(response).orElse(null));
        }
        long revision = response.getHeader().getRevision();
        return new KeyValue(key, value, revision, revision, 1, lease);
    }

    @Override
    public KeyValue update(String key, byte[] value, long expectedModRevision, long lease) {
        ValueTooLargeException.check(key, value);
        ByteSequence k = bytes(key);
        PutOption put = PutOption.builder().withLeaseId(lease).withPrevKV().build();
        TxnResponse response = await(kv.txn()
                .If(guard(k, expectedModRevision))
                .Then(Op.put(k, ByteSequence.from(value), put))
                .Else(Op.get(k, GetOption.DEFAULT))
                .commit());
        if (!response.isSucceeded()) {
            throw failedGuard(key, expectedModRevision, response);
        }
        KeyValue previous = toKeyValue(response.getPutResponses().get(0).getPrevKv());
        return new KeyValue(key, value, previous.createRevision(), response.getHeader().getRevision(),
                previous.version() + 1, lease);
    }

    @Override
    public DeleteResult delete(String key, long expectedModRevision) {
        ByteSequence k = bytes(key);
        TxnResponse response = await(kv.txn()
                .If(guard(k, expectedModRevision))
                .Then(Op.delete(k, DeleteOption.builder().withPrevKV(true).build()))
                .Else(Op.get(k, GetOption.DEFAULT))
                .commit());
        if (!response.isSucceeded()) {
            throw failedGuard(key, expectedModRevision, response);
        }
        KeyValue previous = toKeyValue(response.getDeleteResponses().get(0).getPrevKvs().get(0));
        return new DeleteResult(previous, response.getHeader().getRevision());
    }

    /** The key exists, and if a revision is expected, still has it. */
    private static Cmp guard(ByteSequence key, long expectedModRevision) {
        return expectedModRevision == ANY_REVISION
                ? new Cmp(key, Cmp.Op.GREATER, CmpTarget.version(0))
                : new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(expectedModRevision));
    }

    private static StoreException failedGuard(String key, long expectedModRevision, TxnResponse response) {
        return firstKv(response)
                .<StoreException>map(current -> new ConflictException(key, expectedModRevision, current))
                .orElseGet(() -> new KeyNotFoundException(key));
    }

    private static Optional<KeyValue> firstKv(TxnResponse response) {
        return response.getGetResponses().stream().flatMap(get -> get.getKvs().stream()).findFirst()
                .map(EtcdStore::toKeyValue);
    }

    private static PutOption putOption(long lease) {
        return PutOption.builder().withLeaseId(lease).build();
    }

    @Override
    public Watch watch(String prefix, long afterRevision, WatchListener listener) {
        return EtcdWatch.start(client.getWatchClient(), retries, prefix, afterRevision, listener,
                this::translate);
    }

    @Override
    public long grantLease(Duration ttl) {
        long seconds = Math.max(1, (ttl.toMillis() + 999) / 1000);
        return await(client.getLeaseClient().grant(seconds)).getID();
    }

    @Override
    public void keepAliveLease(long lease) {
        await(client.getLeaseClient().keepAliveOnce(lease), lease);
    }

    @Override
    public void revokeLease(long lease) {
        await(client.getLeaseClient().revoke(lease), lease);
    }

    @Override
    public void compact(long revision) {
        long current = currentRevision();
        if (revision > current) {
            throw new FutureRevisionException(revision, current);
        }
        if (revision <= knownCompaction.get()) {
            return;
        }
        try {
            await(kv.compact(revision));
        } catch (CompactedException alreadyDone) {
            // another k4j server compacted this far already
        }
        knownCompaction.accumulateAndGet(revision, Math::max);
    }

    @Override
    public long currentRevision() {
        return await(kv.get(PROBE_KEY, GetOption.builder().withCountOnly(true).build())).getHeader().getRevision();
    }

    @Override
    public void close() {
        retries.shutdownNow();
        client.close();
    }

    private <T> T await(CompletableFuture<T> future) {
        return await(future, 0);
    }

    /** Waits for a request; {@code context} is the revision or lease it names, for error messages. */
    private <T> T await(CompletableFuture<T> future, long context) {
        try {
            return future.get(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new StoreUnavailableException("etcd did not answer within " + options.requestTimeout(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting for etcd", e);
        } catch (ExecutionException e) {
            throw translate(e.getCause(), context);
        }
    }

    StoreException translate(Throwable error, long context) {
        if (error instanceof io.etcd.jetcd.common.exception.CompactedException compacted) {
            knownCompaction.accumulateAndGet(compacted.getCompactedRevision(), Math::max);
            return new CompactedException(context, compacted.getCompactedRevision());
        }
        String message = String.valueOf(error.getMessage());
        if (message.contains("required revision has been compacted")) {
            return new CompactedException(context, knownCompaction.get());
        }
        if (message.contains("required revision is a future revision")) {
            return new FutureRevisionException(context, currentRevisionOrZero());
        }
        if (message.contains("lease not found")) {
            return new LeaseNotFoundException(context);
        }
        if (error instanceof EtcdException etcd && etcd.getErrorCode() == ErrorCode.INVALID_ARGUMENT) {
            return new StoreException("etcd refused the request: " + message, error);
        }
        return new StoreUnavailableException("etcd request failed: " + message, error);
    }

    private long currentRevisionOrZero() {
        try {
            return currentRevision();
        } catch (StoreException e) {
            return 0;
        }
    }

    static KeyValue toKeyValue(io.etcd.jetcd.KeyValue kv) {
        return new KeyValue(kv.getKey().toString(), kv.getValue().getBytes(), kv.getCreateRevision(),
                kv.getModRevision(), kv.getVersion(), kv.getLease());
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(KeyRange.bytes(text));
    }

    static byte[] nonEmpty(byte[] key) {
        return key.length == 0 ? new byte[] {0} : key;
    }
}
