package io.k4j.scheduler.runtime;

import io.k4j.scheduler.framework.PodInfo;
import io.k4j.scheduler.framework.Status;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Pods a Permit plugin asked to WAIT for: each is released when every waiting plugin allows it, or rejected by any,
 * or rejected when its timeout passes. The binding cycle blocks in {@link #await}; plugins (or anyone holding the
 * framework) call {@link #allow} and {@link #reject}.
 */
public final class WaitingPods {

    private record Waiting(Set<String> pending, Duration timeout, CompletableFuture<Status> outcome) {
    }

    private final Map<String, Waiting> byUid = new ConcurrentHashMap<>();

    void park(PodInfo pod, String node, List<String> plugins, Duration timeout) {
        byUid.put(pod.uid(), new Waiting(new HashSet<>(plugins), timeout, new CompletableFuture<>()));
    }

    /** The pods waiting now, by UID. */
    public Set<String> waiting() {
        return Set.copyOf(byUid.keySet());
    }

    /** One plugin allows the pod; it goes on once none is left waiting. */
    public void allow(String uid, String plugin) {
        Waiting waiting = byUid.get(uid);
        if (waiting != null) {
            synchronized (waiting) {
                waiting.pending.remove(plugin);
                if (waiting.pending.isEmpty()) {
                    waiting.outcome.complete(Status.success());
                }
            }
        }
    }

    public void reject(String uid, String plugin, String reason) {
        Waiting waiting = byUid.get(uid);
        if (waiting != null) {
            waiting.outcome.complete(Status.unschedulable(reason).withPlugin(plugin));
        }
    }

    /** Blocks until the pod is allowed, rejected, or its wait times out; success when it never waited. */
    Status await(PodInfo pod) {
        Waiting waiting = byUid.get(pod.uid());
        if (waiting == null) {
            return Status.success();
        }
        try {
            return waiting.outcome.get(waiting.timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return Status.unschedulable("rejected due to timeout after waiting " + waiting.timeout + " at plugin "
                    + String.join(",", waiting.pending));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Status.error("interrupted while waiting on permit");
        } catch (ExecutionException e) {
            return Status.error(e.getCause());
        } finally {
            byUid.remove(pod.uid());
        }
    }
}
