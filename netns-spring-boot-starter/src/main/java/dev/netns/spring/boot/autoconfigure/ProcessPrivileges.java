package dev.netns.spring.boot.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The real user and the effective capabilities of this process, read from
 * {@code /proc/self/status} ({@code Uid:} and {@code CapEff:}), so that a hint about a missing
 * privilege names what is really missing: a root process may lack {@code CAP_SYS_ADMIN}, and a
 * non-root one may have it.
 *
 * @param realUid the real user id, or -1 when unknown
 * @param effectiveCapabilities the effective capability set as a bit mask, or -1 when unknown
 */
public record ProcessPrivileges(int realUid, long effectiveCapabilities) {

    /** Bit of {@code CAP_SYS_ADMIN} (linux/capability.h): entering, creating and deleting namespaces. */
    public static final int CAP_SYS_ADMIN = 21;

    /** Bit of {@code CAP_SYS_PTRACE}: opening the namespaces of other users' processes and of containers. */
    public static final int CAP_SYS_PTRACE = 19;

    private static final Path STATUS = Path.of("/proc/self/status");

    /** This process's privileges; unknown (-1) where {@code /proc/self/status} cannot be read (not Linux). */
    public static ProcessPrivileges current() {
        try {
            return parse(Files.readString(STATUS));
        } catch (IOException | RuntimeException e) {
            return new ProcessPrivileges(-1, -1);
        }
    }

    /** Reads the {@code Uid:} (real, effective, saved, fs) and {@code CapEff:} (hex) lines of a status file. */
    public static ProcessPrivileges parse(String status) {
        int uid = -1;
        long capabilities = -1;
        for (String line : status.split("\n")) {
            if (line.startsWith("Uid:")) {
                uid = Integer.parseInt(line.substring(4).strip().split("\\s+")[0]);
            } else if (line.startsWith("CapEff:")) {
                capabilities = Long.parseUnsignedLong(line.substring(7).strip(), 16);
            }
        }
        return new ProcessPrivileges(uid, capabilities);
    }

    /** Whether the capability sets could be read (on Linux). */
    public boolean known() {
        return effectiveCapabilities >= 0;
    }

    /** Whether this process may enter, create and delete network namespaces. */
    public boolean hasCapSysAdmin() {
        return has(CAP_SYS_ADMIN);
    }

    /** Whether this process may open the namespaces of other users' processes and of containers. */
    public boolean hasCapSysPtrace() {
        return has(CAP_SYS_PTRACE);
    }

    private boolean has(int capability) {
        return known() && (effectiveCapabilities & (1L << capability)) != 0;
    }

    /** {@code uid 0, CapEff 0x80000}, as {@code /proc/self/status} says. */
    public String describe() {
        return "uid " + realUid + ", CapEff 0x" + Long.toHexString(effectiveCapabilities).toLowerCase(Locale.ROOT);
    }

    /**
     * What to do about a missing privilege, said from what this process really has: run as root
     * only when it is not root; grant the capability when it is root without it; CAP_SYS_PTRACE
     * when CAP_SYS_ADMIN is there; an empty string when nothing seems missing or nothing is known.
     */
    public String hint() {
        if (!known()) {
            return "";
        }
        if (!hasCapSysAdmin()) {
            if (realUid != 0) {
                return "This process runs as uid " + realUid + " without CAP_SYS_ADMIN (" + describe() + "): run it as"
                        + " root, or grant it CAP_SYS_ADMIN";
            }
            return "This process runs as root but without CAP_SYS_ADMIN (" + describe() + "), as in a container or"
                    + " under a capability bounding set that drops it: grant it CAP_SYS_ADMIN (for a container,"
                    + " --cap-add SYS_ADMIN)";
        }
        if (!hasCapSysPtrace()) {
            return "This process has CAP_SYS_ADMIN but not CAP_SYS_PTRACE (" + describe() + "), which opening another"
                    + " user's process's or a container's namespace also needs: grant it CAP_SYS_PTRACE";
        }
        return "";
    }
}
