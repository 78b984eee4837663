package io.k4j.ingress.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * An nginx we run ourselves (never the system service): its own prefix, config, pid and logs under a temp dir,
 * in the foreground as our child, listening on loopback only. close() stops it.
 */
final class NginxProcess implements AutoCloseable {

    private final Process process;

    private NginxProcess(Process process) {
        this.process = process;
    }

    /** Starts nginx with {@code httpBlock} as the body of its http {} block; waits until {@code port} answers. */
    static NginxProcess start(Path nginx, Path dir, String name, int workers, String httpBlock, int port)
            throws IOException, InterruptedException {
        Path prefix = Files.createDirectories(dir.resolve(name));
        String config = """
                worker_processes %d;
                daemon off;
                pid %s/nginx.pid;
                error_log %s/error.log warn;
                events { worker_connections 8192; }
                http {
                  access_log off;
                  keepalive_requests 1000000;
                  client_body_temp_path %s/body;
                  proxy_temp_path %s/proxy;
                  fastcgi_temp_path %s/fastcgi;
                  uwsgi_temp_path %s/uwsgi;
                  scgi_temp_path %s/scgi;
                %s
                }
                """.formatted(workers, prefix, prefix, prefix, prefix, prefix, prefix, prefix, httpBlock);
        Path file = prefix.resolve("nginx.conf");
        Files.writeString(file, config);
        Process process = new ProcessBuilder(nginx.toString(), "-p", prefix.toString(), "-c", file.toString(),
                "-e", prefix.resolve("error.log").toString())
                .redirectErrorStream(true).redirectOutput(prefix.resolve("stdout.log").toFile()).start();
        NginxProcess started = new NginxProcess(process);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (!answers(port)) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                started.close();
                throw new IOException("nginx (" + name + ") did not start: " + Files.readString(
                        prefix.resolve("stdout.log")) + readIfExists(prefix.resolve("error.log")));
            }
            Thread.sleep(50);
        }
        return started;
    }

    private static String readIfExists(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
