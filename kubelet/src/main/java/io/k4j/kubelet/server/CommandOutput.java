package io.k4j.kubelet.server;

/** Where a remote command's output goes, whatever the wire protocol; writes block until sent (back-pressure). */
interface CommandOutput {

    void stdout(byte[] data, int length);

    void stderr(byte[] data, int length);

    /** Sends the outcome on the error channel and ends the connection. */
    void finish(CommandStatus status);
}
