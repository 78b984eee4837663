package io.k4j.kubelet.server;

import io.k4j.kubelet.runtime.ContainerConfig;
import io.k4j.kubelet.runtime.ContainerRuntime;
import io.k4j.kubelet.runtime.ContainerStats;
import io.k4j.kubelet.runtime.ContainerStatus;
import io.k4j.kubelet.runtime.ExecResult;
import io.k4j.kubelet.runtime.PodSandbox;
import io.k4j.kubelet.runtime.PortConnection;
import io.k4j.kubelet.runtime.SandboxConfig;
import io.k4j.kubelet.runtime.StreamSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in runtime for the streaming tests: exec runs the command as a local process, attach runs a fixed one,
 * and port-forward connects to the port on this machine's loopback. Nothing else is supported.
 */
final class LocalProcessRuntime implements ContainerRuntime {

    final List<String> resizes = new CopyOnWriteArrayList<>();
    final List<String> reopened = new CopyOnWriteArrayList<>();
    private final List<String> attachCommand;

    LocalProcessRuntime(List<String> attachCommand) {
        this.attachCommand = attachCommand;
    }

    @Override
    public StreamSession exec(String containerId, List<String> command, boolean tty, boolean stdin) throws IOException {
        return start(command, tty, stdin);
    }

    @Override
    public StreamSession attach(String containerId, boolean stdin, boolean tty) throws IOException {
        return start(attachCommand, tty, stdin);
    }

    private StreamSession start(List<String> command, boolean tty, boolean stdin) throws IOException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(tty).start();
        } catch (IOException e) {
            throw new IOException("failed to exec in container: " + e.getMessage(), e);
        }
        if (!stdin) {
            process.getOutputStream().close();
        }
        return new StreamSession() {
            @Override
            public OutputStream stdin() {
                return stdin ? process.getOutputStream() : null;
            }

            @Override
            public InputStream stdout() {
                return process.getInputStream();
            }

            @Override
            public InputStream stderr() {
                return tty ? null : process.getErrorStream();
            }

            @Override
            public void resize(int width, int height) {
                resizes.add(width + "x" + height);
            }

            @Override
            public int waitFor() throws InterruptedException {
                return process.waitFor();
            }

            @Override
            public void close() {
                process.destroyForcibly();
            }
        };
    }

    @Override
    public PortConnection portForward(String sandboxId, int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        return new PortConnection() {
            @Override
            public InputStream input() {
                try {
                    return socket.getInputStream();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }

            @Override
            public OutputStream output() {
                try {
                    return socket.getOutputStream();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }

            @Override
            public void shutdownOutput() {
                try {
                    socket.shutdownOutput();
                } catch (IOException e) {
                    // already closed
                }
            }

            @Override
            public void close() {
                try {
                    socket.close();
                } catch (IOException e) {
                    // already closed
                }
            }
        };
    }

    @Override
    public void reopenContainerLog(String containerId) {
        reopened.add(containerId);
    }

    @Override
    public String name() {
        return "local-process";
    }

    @Override
    public void close() {
    }

    @Override
    public void updatePodCidr(String cidr) {
        throw new UnsupportedOperationException();
    }

    @Override
    public PodSandbox runPodSandbox(SandboxConfig config) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void stopPodSandbox(String sandboxId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void removePodSandbox(String sandboxId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<PodSandbox> listPodSandboxes() {
        return List.of();
    }

    @Override
    public String createContainer(String sandboxId, ContainerConfig config) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void startContainer(String containerId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void stopContainer(String containerId, Duration gracePeriod) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void removeContainer(String containerId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<ContainerStatus> listContainers() {
        return List.of();
    }

    @Override
    public ExecResult execSync(String containerId, List<String> command, Duration timeout) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ContainerStats stats(String containerId) {
        throw new UnsupportedOperationException();
    }
}
