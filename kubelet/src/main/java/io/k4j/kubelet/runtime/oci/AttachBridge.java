package io.k4j.kubelet.runtime.oci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * conmon's attach socket is SOCK_SEQPACKET, which Java's UNIX domain channels cannot open, so a small perl program
 * (perl-base is on every Debian node) bridges it: each packet conmon sends (a stream byte, 2 stdout or 3 stderr, then
 * data) comes out as {@code [stream][4-byte length][data]}; our stdin goes to the socket in packets conmon's 8 KiB
 * buffer takes whole, and its end half-closes the socket.
 * <p>
 * conmon closes a stdinOnce container's stdin when ANY attach connection ends, even one that never sent stdin. Upstream
 * only the first attach with stdin counts, so a watcher (third argument 1) lingers when its session ends: it stops
 * writing and drains the socket, which conmon closes as the container exits.
 */
final class AttachBridge {
    private static final String SCRIPT = """
            use strict; use IO::Socket::UNIX; use Socket; use IO::Select;
            my $s = IO::Socket::UNIX->new(Type => SOCK_SEQPACKET, Peer => $ARGV[0])
                or die "cannot connect to the attach socket $ARGV[0]: $!\\n";
            my ($stdin, $linger) = ($ARGV[1] eq '1', $ARGV[2] eq '1');
            $SIG{PIPE} = 'IGNORE';
            binmode STDIN; binmode STDOUT; $| = 1;
            my $sel = IO::Select->new($s);
            $sel->add(\\*STDIN) if $stdin || $linger;
            my $detached = 0;
            while (1) {
                for my $fh ($sel->can_read) {
                    my $buf;
                    if ($fh == $s) {
                        my $n = sysread($s, $buf, 65536);
                        exit 0 if !$n;
                        next if $detached;
                        my $data = substr($buf, 1);
                        next if print STDOUT pack('CN', ord(substr($buf, 0, 1)), length $data) . $data;
                        exit 0 if !$linger;
                        $detached = 1;
                    } else {
                        my $n = sysread(STDIN, $buf, 8192);
                        if (!$n) {
                            $sel->remove(\\*STDIN);
                            if ($linger) { $detached = 1; close STDOUT; } else { $s->shutdown(1); }
                            next;
                        }
                        if ($stdin) { defined(syswrite($s, $buf)) or exit 0; }
                    }
                }
            }
            """;

    private AttachBridge() {
    }

    static Path install(Path dir) throws IOException {
        Path script = dir.resolve("attach-bridge.pl");
        Files.writeString(script, SCRIPT);
        return script;
    }
}
