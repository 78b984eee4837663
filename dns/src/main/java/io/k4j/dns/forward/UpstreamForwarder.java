package io.k4j.dns.forward;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Forwards to the upstream resolvers over UDP (TCP when the answer is truncated), starting with a different one each
 * query and trying the next on a timeout or an error.
 */
public final class UpstreamForwarder implements Forwarder {

    private final List<SimpleResolver> upstreams;
    private final AtomicInteger next = new AtomicInteger();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    public UpstreamForwarder(List<InetSocketAddress> upstreams, Duration timeout) {
        this.upstreams = upstreams.stream().map(address -> {
            SimpleResolver resolver = new SimpleResolver(address);
            resolver.setTimeout(timeout);
            return resolver;
        }).toList();
    }

    @Override
    public CompletionStage<Message> forward(Message query) {
        if (upstreams.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalStateException("no upstream resolver configured"));
        }
        Message upstreamQuery = Message.newQuery(query.getQuestion());
        if (!query.getHeader().getFlag(Flags.RD)) {
            upstreamQuery.getHeader().unsetFlag(Flags.RD);
        }
        int first = Math.floorMod(next.getAndIncrement(), upstreams.size());
        return attempt(upstreamQuery, first, 0);
    }

    private CompletionStage<Message> attempt(Message query, int first, int tried) {
        SimpleResolver upstream = upstreams.get((first + tried) % upstreams.size());
        return upstream.sendAsync(query, executor).handle((response, failure) -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(withoutOpt(response));
            }
            if (tried + 1 < upstreams.size()) {
                return attempt(query, first, tried + 1);
            }
            return CompletableFuture.<Message>failedFuture(failure);
        }).thenCompose(stage -> stage);
    }

    /** The upstream's EDNS record is about its link with us; ours to the client is added by the server. */
    private static Message withoutOpt(Message response) {
        for (Record record : response.getSectionArray(Section.ADDITIONAL)) {
            if (record.getType() == Type.OPT) {
                response.removeRecord(record, Section.ADDITIONAL);
            }
        }
        return response;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
