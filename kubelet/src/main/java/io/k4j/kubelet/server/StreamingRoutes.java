package io.k4j.kubelet.server;

import io.k4j.kubelet.logs.ContainerLogReader;
import io.k4j.kubelet.logs.LogOptions;
import io.k4j.kubelet.runtime.ContainerRuntime;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyVersion;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The kubelet's streaming endpoints: /containerLogs, /exec, /attach and /portForward. */
final class StreamingRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(StreamingRoutes.class);

    /** Exec and attach protocols, in the server's order of preference. */
    static final List<String> COMMAND_PROTOCOLS = List.of("v5.channel.k8s.io", "v4.channel.k8s.io",
            "v3.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io");
    static final String WEBSOCKET_COMMAND_PROTOCOLS = "v5.channel.k8s.io,v4.channel.k8s.io,"
            + WebSocketCommand.BASE64_PROTOCOL;
    static final String SPDY_PORT_FORWARD = "portforward.k8s.io";
    static final String WEBSOCKET_SPDY_PORT_FORWARD = "SPDY/3.1+portforward.k8s.io";
    private static final int MAX_MESSAGE = 4 * 1024 * 1024;
    static final java.time.Duration STREAM_CREATION_TIMEOUT = java.time.Duration.ofSeconds(30);

    private final PodContainers pods;
    private final ContainerRuntime runtime;
    private final InstantSource clock;
    private final ContainerLogReader logReader;
    private final ExecutorService workers;

    StreamingRoutes(PodContainers pods, ContainerRuntime runtime, InstantSource clock, ContainerLogReader logReader,
                    ExecutorService workers) {
        this.pods = pods;
        this.runtime = runtime;
        this.clock = clock;
        this.logReader = logReader;
        this.workers = workers;
    }

    void route(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri) {
        List<String> parts = Arrays.stream(uri.path().split("/")).filter(part -> !part.isEmpty()).toList();
        Map<String, List<String>> query = uri.parameters();
        String route = parts.isEmpty() ? "" : parts.get(0);
        switch (route) {
            case "containerLogs" -> {
                if (parts.size() != 4) {
                    Responses.text(ctx, request, 404, "404 page not found");
                } else {
                    logs(ctx, request, parts.get(1), parts.get(2), parts.get(3), query);
                }
            }
            case "exec", "attach" -> {
                if (parts.size() != 4) {
                    Responses.text(ctx, request, 404, "404 page not found");
                } else {
                    command(ctx, request, route.equals("attach"), parts.get(1), parts.get(2), parts.get(3), query);
                }
            }
            case "portForward" -> {
                if (parts.size() != 3) {
                    Responses.text(ctx, request, 404, "404 page not found");
                } else {
                    portForward(ctx, request, parts.get(1), parts.get(2), query);
                }
            }
            default -> Responses.text(ctx, request, 404, "404 page not found");
        }
    }

    private void logs(ChannelHandlerContext ctx, FullHttpRequest request, String namespace, String pod,
                      String container, Map<String, List<String>> query) {
        LogOptions options;
        try {
            options = LogOptions.fromQuery(query, clock);
        } catch (IllegalArgumentException e) {
            Responses.text(ctx, request, 400, e.getMessage());
            return;
        }
        Optional<Path> path = pods.logPath(namespace, pod, container, options.previous());
        if (path.isEmpty() || !java.nio.file.Files.exists(path.get())) {
            Responses.text(ctx, request, 404, options.previous()
                    ? "previous terminated container \"" + container + "\" in pod \"" + pod + "\" not found"
                    : "container \"" + container + "\" in pod \"" + pod + "\" is not available");
            return;
        }
        ChunkedOutput out = ChunkedOutput.start(ctx.channel(), "text/plain");
        workers.execute(() -> {
            try (out) {
                logReader.copy(path.get(), options, () -> pods.exited(namespace, pod, container), out);
            } catch (java.io.IOException e) {
                LOG.debug("log stream of {}/{}/{} ended: {}", namespace, pod, container, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private void command(ChannelHandlerContext ctx, FullHttpRequest request, boolean attach, String namespace,
                         String pod, String container, Map<String, List<String>> query) {
        boolean stdin = flag(query, "stdin");
        boolean stdout = flag(query, "stdout");
        boolean tty = flag(query, "tty");
        boolean stderr = flag(query, "stderr") && !tty;
        List<String> command = query.getOrDefault("command", List.of());
        if (!stdin && !stdout && !stderr) {
            Responses.text(ctx, request, 400, "you must specify at least 1 of stdin, stdout, stderr");
            return;
        }
        if (!attach && command.isEmpty()) {
            Responses.text(ctx, request, 400, "you must specify a command");
            return;
        }
        Optional<String> containerId = pods.containerId(namespace, pod, container);
        if (containerId.isEmpty()) {
            Responses.text(ctx, request, 404, "container not found (\"" + container + "\")");
            return;
        }
        String id = containerId.get();
        RemoteCommandSession session = new RemoteCommandSession(
                () -> attach ? runtime.attach(id, stdin, tty) : runtime.exec(id, command, tty, stdin),
                attach ? "attach " + container : String.join(" ", command), stdout, stderr, workers);
        if (isWebSocket(request)) {
            upgradeToWebSocket(ctx, request, WEBSOCKET_COMMAND_PROTOCOLS, (pipeline, protocol) -> {
                WebSocketCommand handler = new WebSocketCommand(session, ctx.channel(),
                        WebSocketCommand.BASE64_PROTOCOL.equals(protocol));
                pipeline.addLast("command", handler);
                session.start(handler);
            });
        } else if (isSpdy(request)) {
            Optional<String> protocol = negotiate(request, COMMAND_PROTOCOLS);
            if (protocol.isEmpty()) {
                Responses.text(ctx, request, 403, "unable to upgrade: unable to negotiate protocol: client supports "
                        + request.headers().getAll("X-Stream-Protocol-Version") + ", server supports " + COMMAND_PROTOCOLS);
                return;
            }
            Set<String> expected = new LinkedHashSet<>(List.of("error"));
            if (stdin) {
                expected.add("stdin");
            }
            if (stdout) {
                expected.add("stdout");
            }
            if (stderr) {
                expected.add("stderr");
            }
            if (tty && !protocol.get().equals("v2.channel.k8s.io") && !protocol.get().equals("channel.k8s.io")) {
                expected.add("resize");
            }
            SpdyConnection connection = upgradeToSpdy(ctx, protocol.get());
            SpdyCommand spdy = new SpdyCommand(connection, session, expected, protocol.get());
            connection.listener(spdy);
            // As upstream: a client that does not open its streams in time loses the connection.
            ctx.channel().eventLoop().schedule(() -> {
                if (!spdy.started()) {
                    connection.close();
                }
            }, STREAM_CREATION_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } else {
            Responses.text(ctx, request, 400, "Upgrade request required");
        }
    }

    private void portForward(ChannelHandlerContext ctx, FullHttpRequest request, String namespace, String pod,
                             Map<String, List<String>> query) {
        Optional<String> sandbox = pods.sandboxId(namespace, pod);
        if (sandbox.isEmpty()) {
            Responses.text(ctx, request, 404, "pod not found (\"" + pod + "_" + namespace + "\")");
            return;
        }
        String sandboxId = sandbox.get();
        if (isWebSocket(request)) {
            String offered = request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL, "");
            if (offered.contains(WEBSOCKET_SPDY_PORT_FORWARD)) {
                upgradeToWebSocket(ctx, request, WEBSOCKET_SPDY_PORT_FORWARD, (pipeline, protocol) -> {
                    pipeline.addLast("ws-spdy", new WebSocketSpdyBridge());
                    SpdyConnection connection = addSpdy(ctx);
                    connection.listener(new SpdyPortForward(connection, runtime, sandboxId, workers));
                });
                return;
            }
            List<Integer> ports = new ArrayList<>();
            try {
                for (String value : query.getOrDefault("ports", List.of())) {
                    for (String port : value.split(",")) {
                        ports.add(validPort(port.trim()));
                    }
                }
            } catch (IllegalArgumentException e) {
                Responses.text(ctx, request, 400, e.getMessage());
                return;
            }
            if (ports.isEmpty()) {
                Responses.text(ctx, request, 400, "query parameter \"port\" is required");
                return;
            }
            upgradeToWebSocket(ctx, request, "v4.channel.k8s.io,portforward.k8s.io", (pipeline, protocol) -> {
                WebSocketPortForward handler = new WebSocketPortForward(ctx.channel(), ports, workers);
                pipeline.addLast("portforward", handler);
                workers.execute(() -> handler.start(runtime, sandboxId, workers));
            });
        } else if (isSpdy(request)) {
            if (negotiate(request, List.of(SPDY_PORT_FORWARD)).isEmpty()) {
                Responses.text(ctx, request, 403, "unable to upgrade: unable to negotiate protocol");
                return;
            }
            SpdyConnection connection = upgradeToSpdy(ctx, SPDY_PORT_FORWARD);
            connection.listener(new SpdyPortForward(connection, runtime, sandboxId, workers));
        } else {
            Responses.text(ctx, request, 400, "Upgrade request required");
        }
    }

    private static int validPort(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port > 0 && port < 65536) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("unable to parse \"" + text + "\" as a port: invalid port");
    }

    private static boolean isWebSocket(FullHttpRequest request) {
        return "websocket".equalsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE));
    }

    private static boolean isSpdy(FullHttpRequest request) {
        return "SPDY/3.1".equalsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE));
    }

    /** The first protocol the client offers (in its order) that the server supports. */
    static Optional<String> negotiate(FullHttpRequest request, List<String> supported) {
        for (String header : request.headers().getAll("X-Stream-Protocol-Version")) {
            for (String offered : header.split(",")) {
                if (supported.contains(offered.trim())) {
                    return Optional.of(offered.trim());
                }
            }
        }
        return Optional.empty();
    }

    private static boolean flag(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        if (values == null || values.isEmpty()) {
            return false;
        }
        return switch (values.get(0)) {
            case "1", "t", "T", "true", "TRUE", "True" -> true;
            default -> false;
        };
    }

    private void upgradeToWebSocket(ChannelHandlerContext ctx, FullHttpRequest request, String subprotocols,
                                    BiConsumer<ChannelPipeline, String> then) {
        String url = "wss://" + request.headers().get(HttpHeaderNames.HOST, "localhost") + request.uri();
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(url, subprotocols, false,
                MAX_MESSAGE).newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        ChannelPipeline pipeline = ctx.pipeline();
        pipeline.remove("route");
        handshaker.handshake(ctx.channel(), request);
        pipeline.addLast("ws-aggregate", new WebSocketFrameAggregator(MAX_MESSAGE));
        then.accept(pipeline, handshaker.selectedSubprotocol());
    }

    /** Answers 101 with the chosen protocol and turns the connection into SPDY/3.1. */
    private SpdyConnection upgradeToSpdy(ChannelHandlerContext ctx, String protocol) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.SWITCHING_PROTOCOLS);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        response.headers().set(HttpHeaderNames.UPGRADE, "SPDY/3.1");
        response.headers().set("X-Stream-Protocol-Version", protocol);
        ctx.writeAndFlush(response);
        ChannelPipeline pipeline = ctx.pipeline();
        pipeline.remove("route");
        pipeline.remove("aggregate");
        pipeline.remove("http");
        return addSpdy(ctx);
    }

    private static SpdyConnection addSpdy(ChannelHandlerContext ctx) {
        SpdyConnection connection = new SpdyConnection(ctx.channel());
        ctx.pipeline().addLast("spdy", new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
        ctx.pipeline().addLast("spdy-streams", connection);
        return connection;
    }
}
