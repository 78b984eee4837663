package io.k4j.dns.forward;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;

/**
 * Sends one upstream query for identical questions in flight at the same time (many pods asking the same name when its
 * cache entry expires), and gives each caller the shared answer.
 */
public final class CoalescingForwarder implements Forwarder {

    private record Question(String name, int type, int dclass) {
    }

    private final Forwarder delegate;
    private final Map<Question, CompletableFuture<Message>> inFlight = new ConcurrentHashMap<>();

    public CoalescingForwarder(Forwarder delegate) {
        this.delegate = delegate;
    }

    @Override
    public CompletionStage<Message> forward(Message query) {
        Record question = query.getQuestion();
        Question key = new Question(question.getName().toString().toLowerCase(Locale.ROOT), question.getType(),
                question.getDClass());
        CompletableFuture<Message> mine = new CompletableFuture<>();
        CompletableFuture<Message> shared = inFlight.putIfAbsent(key, mine);
        if (shared != null) {
            return shared;
        }
        delegate.forward(query).whenComplete((response, failure) -> {
            inFlight.remove(key, mine);
            if (failure != null) {
                mine.completeExceptionally(failure);
            } else {
                mine.complete(response);
            }
        });
        return mine;
    }

    int inFlight() {
        return inFlight.size();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
