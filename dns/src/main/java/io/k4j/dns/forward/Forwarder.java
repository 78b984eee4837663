package io.k4j.dns.forward;

import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Message;

/** Sends a query to the upstream resolvers; the stage fails when none answers. */
public interface Forwarder extends AutoCloseable {

    CompletionStage<Message> forward(Message query);

    @Override
    default void close() {
    }
}
