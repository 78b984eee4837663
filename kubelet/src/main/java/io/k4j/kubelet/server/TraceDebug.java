package io.k4j.kubelet.server;

final class TraceDebug {
    static synchronized void log(String line) {
        try {
            java.nio.file.Files.writeString(java.nio.file.Path.of("/tmp/k4j-S-trace.log"), line + "\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            // debug only
        }
    }
}
