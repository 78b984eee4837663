package io.k4j.kubelet.prober;

import io.k4j.kubelet.runtime.ContainerRuntime;
import io.k4j.kubelet.runtime.ExecResult;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The real probe actions: exec through the container runtime, HTTP GET and TCP connects from the node to the pod's
 * address (like upstream, the kubelet probes from the host network, not from inside the pod).
 */
public final class ContainerProbeActions implements ProbeActions {

    /** Upstream reads at most 10 KiB of a command's output or a response body. */
    static final int MAX_OUTPUT = 10 * 1024;

    private final ContainerRuntime runtime;
    private final HttpGetProbe http = new HttpGetProbe();

    public ContainerProbeActions(ContainerRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public ProbeResult exec(String containerId, List<String> command, Duration timeout) {
        ExecResult result;
        try {
            result = runtime.execSync(containerId, command, timeout);
        } catch (IOException e) {
            return ProbeResult.error(e.getMessage());
        }
        if (result.timedOut()) {
            return ProbeResult.failure("command " + GoErrors.quote(String.join(" ", command)) + " timed out");
        }
        String output = combinedOutput(result);
        return result.exitCode() == 0 ? ProbeResult.success(output)
                : ProbeResult.failure(output, result.exitCode());
    }

    @Override
    public ProbeResult httpGet(String host, int port, String path, String scheme, List<Header> headers,
            Duration timeout) {
        return http.get(host, port, path, scheme, headers, timeout);
    }

    @Override
    public ProbeResult tcp(String host, int port, Duration timeout) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis(timeout));
            return ProbeResult.success("");
        } catch (IOException e) {
            return ProbeResult.failure(GoErrors.dialError(host, port, e));
        }
    }

    static int timeoutMillis(Duration timeout) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    private static String combinedOutput(ExecResult result) {
        byte[] out = result.stdout() == null ? new byte[0] : result.stdout();
        byte[] err = result.stderr() == null ? new byte[0] : result.stderr();
        byte[] both = new byte[Math.min(MAX_OUTPUT, out.length + err.length)];
        System.arraycopy(out, 0, both, 0, Math.min(out.length, both.length));
        if (both.length > out.length) {
            System.arraycopy(err, 0, both, out.length, both.length - out.length);
        }
        return new String(both, StandardCharsets.UTF_8);
    }
}
