package io.k4j.scheduler.core;

/** No node fits the pod; the diagnosis says why, node by node. */
public final class FitError extends Exception {

    private final Diagnosis diagnosis;

    public FitError(Diagnosis diagnosis) {
        super(null, null, false, false);
        this.diagnosis = diagnosis;
    }

    public Diagnosis diagnosis() {
        return diagnosis;
    }

    @Override
    public String getMessage() {
        return diagnosis.message();
    }
}
