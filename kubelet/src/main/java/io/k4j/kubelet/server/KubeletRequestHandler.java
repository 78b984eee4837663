package io.k4j.kubelet.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates each request by its client certificate (verified against the cluster CA by TLS) and lets only the
 * API server through (CN=kube-apiserver-kubelet-client, or the group system:masters), then hands it to a route.
 */
final class KubeletRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(KubeletRequestHandler.class);
    static final String API_SERVER_USER = "kube-apiserver-kubelet-client";

    private final StreamingRoutes routes;

    KubeletRequestHandler(StreamingRoutes routes) {
        super(false);
        this.routes = routes;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        try {
            QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            String path = uri.path();
            if (path.equals("/healthz")) {
                Responses.text(ctx, request, 200, "ok");
                return;
            }
            X509Certificate client = clientCertificate(ctx);
            if (client == null) {
                Responses.text(ctx, request, 401, "Unauthorized");
                return;
            }
            String user = commonName(client);
            if (!API_SERVER_USER.equals(user) && !organizations(client).contains("system:masters")) {
                Responses.text(ctx, request, 403, "Forbidden (user=" + user + ", verb=" + request.method().name()
                        .toLowerCase(java.util.Locale.ROOT) + ", resource=nodes, subresource=proxy)");
                return;
            }
            routes.route(ctx, request, uri);
        } finally {
            request.release();
        }
    }

    private static X509Certificate clientCertificate(ChannelHandlerContext ctx) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        try {
            var chain = ssl.engine().getSession().getPeerCertificates();
            return chain.length == 0 ? null : (X509Certificate) chain[0];
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    static String commonName(X509Certificate certificate) {
        return rdns(certificate, "CN").stream().findFirst().orElse("");
    }

    static List<String> organizations(X509Certificate certificate) {
        return rdns(certificate, "O");
    }

    private static List<String> rdns(X509Certificate certificate, String type) {
        try {
            return new LdapName(certificate.getSubjectX500Principal().getName()).getRdns().stream()
                    .filter(rdn -> rdn.getType().equalsIgnoreCase(type)).map(Rdn::getValue).map(String::valueOf)
                    .toList();
        } catch (javax.naming.InvalidNameException e) {
            return List.of();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("kubelet connection error: {}", cause.toString());
        ctx.close();
    }
}
