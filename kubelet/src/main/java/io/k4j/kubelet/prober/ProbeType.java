package io.k4j.kubelet.prober;

/** The three container probes; {@link #label()} is the word upstream puts in front of its probe events. */
public enum ProbeType {
    LIVENESS("Liveness"), READINESS("Readiness"), STARTUP("Startup");

    private final String label;

    ProbeType(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
