package io.k4j.dns.forward;

import static io.k4j.dns.testing.Queries.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.k4j.dns.zone.Responses;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

class CoalescingForwarderTest {

    private final List<CompletableFuture<Message>> sent = new ArrayList<>();
    private final CoalescingForwarder forwarder = new CoalescingForwarder(query -> {
        CompletableFuture<Message> pending = new CompletableFuture<>();
        sent.add(pending);
        return pending;
    });

    @Test
    void identicalQuestionsInFlightShareOneUpstreamQuery() {
        CompletionStage<Message> first = forwarder.forward(query("www.example.org", Type.A));
        CompletionStage<Message> second = forwarder.forward(query("WWW.example.org", Type.A));
        forwarder.forward(query("www.example.org", Type.AAAA));
        assertThat(sent).hasSize(2);

        Message answer = Responses.replyTo(query("www.example.org", Type.A));
        sent.getFirst().complete(answer);

        assertThat(first.toCompletableFuture().join()).isSameAs(answer);
        assertThat(second.toCompletableFuture().join()).isSameAs(answer);
        forwarder.forward(query("www.example.org", Type.A));
        assertThat(sent).hasSize(3);
    }

    @Test
    void aFailureReachesEveryWaiterAndIsNotRemembered() {
        CompletionStage<Message> first = forwarder.forward(query("down.example.org", Type.A));
        CompletionStage<Message> second = forwarder.forward(query("down.example.org", Type.A));

        sent.getFirst().completeExceptionally(new java.net.SocketTimeoutException("silent"));

        assertThat(first.toCompletableFuture()).isCompletedExceptionally();
        assertThat(second.toCompletableFuture()).isCompletedExceptionally();
        assertThat(forwarder.inFlight()).isZero();
    }
}
