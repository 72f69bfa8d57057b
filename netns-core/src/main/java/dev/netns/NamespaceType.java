package dev.netns;

import org.jspecify.annotations.Nullable;

/** The Linux namespace types, with their {@code CLONE_NEW*} flag and {@code /proc/PID/ns} name. */
public enum NamespaceType {
    /** Network: interfaces, routes, sockets, firewall. Per thread. */
    NET(0x40000000, "net", "CLONE_NEWNET"),
    /** Host and domain name. Per thread. */
    UTS(0x04000000, "uts", "CLONE_NEWUTS"),
    /** System V IPC and POSIX message queues. Per thread. */
    IPC(0x08000000, "ipc", "CLONE_NEWIPC"),
    /** Mounts. Cannot be entered by a multithreaded process such as a JVM. */
    MNT(0x00020000, "mnt", "CLONE_NEWNS"),
    /** Process ids (takes effect for children). */
    PID(0x20000000, "pid", "CLONE_NEWPID"),
    /** Users and capabilities. Cannot be entered by a multithreaded process such as a JVM. */
    USER(0x10000000, "user", "CLONE_NEWUSER"),
    /** Cgroup root. */
    CGROUP(0x02000000, "cgroup", "CLONE_NEWCGROUP"),
    /** Boot and monotonic clocks (takes effect for children). */
    TIME(0x00000080, "time", "CLONE_NEWTIME");

    private final int cloneFlag;
    private final String procName;
    private final String cloneFlagName;

    NamespaceType(int cloneFlag, String procName, String cloneFlagName) {
        this.cloneFlag = cloneFlag;
        this.procName = procName;
        this.cloneFlagName = cloneFlagName;
    }

    /** The {@code CLONE_NEW*} flag of {@code unshare(2)} and {@code setns(2)}. */
    public int cloneFlag() {
        return cloneFlag;
    }

    /** The file name under {@code /proc/PID/ns/}: {@code "net"}, {@code "uts"}... */
    public String procName() {
        return procName;
    }

    /** The flag's C name, {@code "CLONE_NEWNET"}, for messages. */
    public String cloneFlagName() {
        return cloneFlagName;
    }

    /** The type for a {@code CLONE_NEW*} flag, or {@code null} if it names none. */
    public static @Nullable NamespaceType fromCloneFlag(int flag) {
        for (NamespaceType type : values()) {
            if (type.cloneFlag == flag) {
                return type;
            }
        }
        return null;
    }
}
