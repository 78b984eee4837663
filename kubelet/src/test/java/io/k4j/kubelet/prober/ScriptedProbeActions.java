package io.k4j.kubelet.prober;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Probe actions whose exec results tests script per command word; every call is recorded with its time. */
final class ScriptedProbeActions implements ProbeActions {

    record Call(long atSecond, String what, Duration timeout) {
    }

    private final InstantSource clock;
    private final Instant start;
    private final Map<String, Deque<ProbeResult>> scripts = new HashMap<>();
    final List<Call> calls = new ArrayList<>();
    final List<String> httpRequests = new ArrayList<>();

    ScriptedProbeActions(InstantSource clock) {
        this.clock = clock;
        this.start = clock.instant();
    }

    /** Results for the command {@code word}, in order; the last one repeats. */
    ScriptedProbeActions script(String word, ProbeResult... results) {
        scripts.put(word, new ArrayDeque<>(List.of(results)));
        return this;
    }

    List<Long> secondsOf(String what) {
        return calls.stream().filter(c -> c.what.equals(what)).map(Call::atSecond).toList();
    }

    @Override
    public synchronized ProbeResult exec(String containerId, List<String> command, Duration timeout) {
        String word = command.getFirst();
        calls.add(new Call(Duration.between(start, clock.instant()).toSeconds(), word, timeout));
        Deque<ProbeResult> script = scripts.get(word);
        if (script == null) {
            return ProbeResult.success("");
        }
        return script.size() > 1 ? script.poll() : script.peek();
    }

    @Override
    public synchronized ProbeResult httpGet(String host, int port, String path, String scheme, List<Header> headers,
            Duration timeout) {
        httpRequests.add(scheme + "://" + host + ":" + port + path + " " + headers);
        calls.add(new Call(Duration.between(start, clock.instant()).toSeconds(), "http", timeout));
        return new ProbeResult(ProbeResult.Outcome.SUCCESS, "", 200);
    }

    @Override
    public synchronized ProbeResult tcp(String host, int port, Duration timeout) {
        httpRequests.add("tcp " + host + ":" + port);
        calls.add(new Call(Duration.between(start, clock.instant()).toSeconds(), "tcp", timeout));
        return ProbeResult.success("");
    }
}
