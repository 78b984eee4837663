package io.k4j.kubelet.runtime;

import java.io.InputStream;
import java.io.OutputStream;

/** A live exec or attach: the process' streams, terminal resizing and its exit. */
public interface StreamSession extends AutoCloseable {

    /** Null unless stdin was asked for; closing it sends EOF. */
    OutputStream stdin();

    InputStream stdout();

    /** Null with a tty (the terminal merges both). */
    InputStream stderr();

    /** Resizes the terminal; ignored without a tty. */
    void resize(int width, int height);

    /** Waits for the process to end (for attach: for the container to exit, or the session to close). */
    int waitFor() throws InterruptedException;

    /** Ends the session; an exec'd process still running is killed, an attached container is left running. */
    @Override
    void close();
}
