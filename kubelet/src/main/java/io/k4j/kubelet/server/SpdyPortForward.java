package io.k4j.kubelet.server;

import io.k4j.kubelet.runtime.ContainerRuntime;
import io.k4j.kubelet.runtime.PortConnection;
import io.netty.handler.codec.spdy.SpdyHeaders;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Port-forward over SPDY (portforward.k8s.io): for each local connection the client opens an error stream and a
 * data stream with the same {@code requestID} and a {@code port}; the data stream becomes one TCP connection into
 * the pod. When the pod side ends, both streams get FIN; failures are written on the error stream.
 */
final class SpdyPortForward implements SpdyConnection.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(SpdyPortForward.class);

    private final SpdyConnection connection;
    private final ContainerRuntime runtime;
    private final String sandboxId;
    private final ExecutorService workers;
    private final Map<String, Integer> errorStreams = new ConcurrentHashMap<>();
    private final Map<Integer, PortPump> pumps = new ConcurrentHashMap<>();
    private final Map<Integer, String> requestOfStream = new ConcurrentHashMap<>();

    SpdyPortForward(SpdyConnection connection, ContainerRuntime runtime, String sandboxId, ExecutorService workers) {
        this.connection = connection;
        this.runtime = runtime;
        this.sandboxId = sandboxId;
        this.workers = workers;
    }

    @Override
    public void stream(int id, SpdyHeaders headers) {
        String type = headers.getAsString("streamtype");
        String request = headers.getAsString("requestid");
        requestOfStream.put(id, request == null ? "" : request);
        if ("error".equals(type)) {
            errorStreams.put(request == null ? "" : request, id);
        } else if ("data".equals(type)) {
            String port = headers.getAsString("port");
            PortPump pump = new PortPump(workers);
            pumps.put(id, pump);
            workers.execute(() -> connect(id, request == null ? "" : request, port, pump));
        }
    }

    private void connect(int dataStream, String request, String portText, PortPump pump) {
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            pump.failed(new IOException("invalid port"));
            fail(dataStream, request, "invalid port: \"" + portText + "\"");
            return;
        }
        PortConnection pod;
        try {
            pod = runtime.portForward(sandboxId, port);
        } catch (IOException e) {
            pump.failed(e);
            fail(dataStream, request, "error forwarding port " + port + " to pod " + sandboxId + ": " + e.getMessage());
            return;
        }
        pump.connected(pod);
        copyFromPod(pod.input(), dataStream);
        pump.close();
        pumps.remove(dataStream);
        connection.write(dataStream, new byte[0], 0, true);
        Integer error = errorStreams.get(request);
        if (error != null) {
            connection.write(error, new byte[0], 0, true);
        }
    }

    private void copyFromPod(InputStream from, int dataStream) {
        byte[] buffer = new byte[16 * 1024];
        try {
            int read;
            while ((read = from.read(buffer)) >= 0) {
                connection.write(dataStream, buffer, read, false);
            }
        } catch (IOException e) {
            LOG.debug("port-forward read ended: {}", e.toString());
        }
    }

    private void fail(int dataStream, String request, String message) {
        pumps.remove(dataStream);
        Integer error = errorStreams.get(request);
        if (error != null) {
            byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
            connection.write(error, bytes, bytes.length, true);
        }
        connection.write(dataStream, new byte[0], 0, true);
    }

    @Override
    public void data(int id, byte[] data) {
        PortPump pump = pumps.get(id);
        if (pump != null) {
            pump.toPod(data);
        }
    }

    @Override
    public void finished(int id) {
        PortPump pump = pumps.get(id);
        if (pump != null) {
            pump.endOfInput();
        }
    }

    @Override
    public void reset(int id) {
        PortPump pump = pumps.remove(id);
        if (pump != null) {
            pump.close();
        }
    }

    @Override
    public void closed() {
        pumps.values().forEach(PortPump::close);
        pumps.clear();
    }
}
