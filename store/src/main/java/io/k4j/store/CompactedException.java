package io.k4j.store;

/** A read or watch asked for history older than the compaction point (Kubernetes answers 410 Gone). */
public class CompactedException extends StoreException {
    private static final long serialVersionUID = 1L;
    private final long compactRevision;

    public CompactedException(long requestedRevision, long compactRevision) {
        super("revision " + requestedRevision + " has been compacted; the oldest kept is " + compactRevision);
        this.compactRevision = compactRevision;
    }

    public long compactRevision() {
        return compactRevision;
    }
}
