package io.k4j.kubelet.runtime.oci;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The runtime's default seccomp profile: everything is allowed except the system calls that reach the kernel's
 * global state (keyrings, modules, kexec, clocks, swap, mounts, namespaces), which fail with EPERM. A deny-list
 * rather than upstream's allow-list so that unusual but harmless programs keep working.
 */
final class SeccompDefault {
    private static final List<String> DENIED = List.of("acct", "add_key", "bpf", "clock_adjtime", "clock_settime",
            "create_module", "delete_module", "finit_module", "get_kernel_syms", "init_module", "ioperm", "iopl",
            "kcmp", "kexec_file_load", "kexec_load", "keyctl", "lookup_dcookie", "nfsservctl", "open_by_handle_at",
            "perf_event_open", "query_module", "quotactl", "reboot", "request_key", "settimeofday", "swapoff",
            "swapon", "_sysctl", "syslog", "uselib", "userfaultfd", "vhangup");
    /** Allowed when the container has CAP_SYS_ADMIN, as upstream does. */
    private static final List<String> DENIED_WITHOUT_SYS_ADMIN = List.of("fsconfig", "fsmount", "fsopen", "fspick",
            "mount", "mount_setattr", "move_mount", "open_tree", "pivot_root", "setns", "umount", "umount2",
            "unshare");

    private SeccompDefault() {
    }

    static Map<String, Object> profile(boolean sysAdmin) {
        List<String> denied = new ArrayList<>(DENIED);
        if (!sysAdmin) {
            denied.addAll(DENIED_WITHOUT_SYS_ADMIN);
        }
        return Map.of(
                "defaultAction", "SCMP_ACT_ALLOW",
                "architectures", List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"),
                "syscalls", List.of(Map.of("names", denied, "action", "SCMP_ACT_ERRNO", "errnoRet", 1)));
    }
}
