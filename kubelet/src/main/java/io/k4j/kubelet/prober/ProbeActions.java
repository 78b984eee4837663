package io.k4j.kubelet.prober;

import java.time.Duration;
import java.util.List;

/** The three things a probe or lifecycle hook can do; each call returns within about {@code timeout}. */
public interface ProbeActions {

    /** The User-Agent of probes (upstream: kube-probe/MAJOR.MINOR); hooks send {@link #LIFECYCLE_USER_AGENT}. */
    String PROBE_USER_AGENT = "kube-probe/1.32";
    String LIFECYCLE_USER_AGENT = "kube-lifecycle/1.32";

    /** Runs {@code command} in the container: exit code 0 is success, anything else (or the timeout) failure. */
    ProbeResult exec(String containerId, List<String> command, Duration timeout);

    /**
     * GET {@code scheme://host:port/path}: 200..399 is success; headers given here replace the defaults
     * (User-Agent {@link #PROBE_USER_AGENT}, Accept *&#47;*), a Host header sets the request's host.
     */
    ProbeResult httpGet(String host, int port, String path, String scheme, List<Header> headers, Duration timeout);

    /** Opens (and closes) a TCP connection: success when it connects. */
    ProbeResult tcp(String host, int port, Duration timeout);

    record Header(String name, String value) {
    }
}
