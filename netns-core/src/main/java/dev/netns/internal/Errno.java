package dev.netns.internal;

import dev.netns.NamespaceExistsException;
import dev.netns.NamespaceNotFoundException;
import dev.netns.NamespacePermissionException;
import dev.netns.NetnsException;
import dev.netns.NotANamespaceException;
import java.io.IOException;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The one place where an errno becomes an exception. The message names the syscall, its argument
 * and the errno: {@code setns(fd=12, CLONE_NEWNET) failed: EPERM (Operation not permitted);
 * changing namespaces needs CAP_SYS_ADMIN}.
 */
public final class Errno {

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int ENOTDIR = 20;
    public static final int EINVAL = 22;
    public static final int ENFILE = 23;
    public static final int EMFILE = 24;
    public static final int ENOTTY = 25;
    public static final int ENOSPC = 28;
    public static final int EROFS = 30;
    public static final int ENAMETOOLONG = 36;
    public static final int ENOSYS = 38;
    public static final int ELOOP = 40;
    public static final int EUSERS = 87;
    public static final int EMSGSIZE = 90;
    public static final int EPROTONOSUPPORT = 93;
    public static final int EOPNOTSUPP = 95;
    public static final int EAFNOSUPPORT = 97;
    public static final int ENOBUFS = 105;

    private static final String[] NAMES = new String[106];
    private static final Pattern OTHER_PROCESS = Pattern.compile("/proc/[0-9]+/");

    static {
        NAMES[EPERM] = "EPERM";
        NAMES[ENOENT] = "ENOENT";
        NAMES[ESRCH] = "ESRCH";
        NAMES[EINTR] = "EINTR";
        NAMES[EBADF] = "EBADF";
        NAMES[EAGAIN] = "EAGAIN";
        NAMES[ENOMEM] = "ENOMEM";
        NAMES[EACCES] = "EACCES";
        NAMES[EBUSY] = "EBUSY";
        NAMES[EEXIST] = "EEXIST";
        NAMES[ENODEV] = "ENODEV";
        NAMES[ENOTDIR] = "ENOTDIR";
        NAMES[EINVAL] = "EINVAL";
        NAMES[ENFILE] = "ENFILE";
        NAMES[EMFILE] = "EMFILE";
        NAMES[ENOTTY] = "ENOTTY";
        NAMES[ENOSPC] = "ENOSPC";
        NAMES[EROFS] = "EROFS";
        NAMES[ENAMETOOLONG] = "ENAMETOOLONG";
        NAMES[ENOSYS] = "ENOSYS";
        NAMES[ELOOP] = "ELOOP";
        NAMES[EUSERS] = "EUSERS";
        NAMES[EMSGSIZE] = "EMSGSIZE";
        NAMES[EPROTONOSUPPORT] = "EPROTONOSUPPORT";
        NAMES[EOPNOTSUPP] = "EOPNOTSUPP";
        NAMES[EAFNOSUPPORT] = "EAFNOSUPPORT";
        NAMES[ENOBUFS] = "ENOBUFS";
    }

    private Errno() {
    }

    /** The symbolic name of an errno ({@code EPERM}), or {@code errno 123} for one not listed. */
    public static String name(int errno) {
        String name = errno > 0 && errno < NAMES.length ? NAMES[errno] : null;
        return name != null ? name : "errno " + errno;
    }

    /** Whether an errno says only that fds or memory ran out (EMFILE, ENFILE, ENOMEM): the same call may work later. */
    static boolean isOutOfResources(int errno) {
        return errno == EMFILE || errno == ENFILE || errno == ENOMEM;
    }

    /**
     * The exception for a failed syscall.
     *
     * @param syscall the syscall's name ({@code setns})
     * @param argument its argument as it should read in the message ({@code fd=12, CLONE_NEWNET})
     * @param errno the errno captured right after the call
     * @param context what was being done, put in front of the message, or {@code null}
     */
    public static NetnsException failure(String syscall, String argument, int errno, @Nullable String context) {
        StringBuilder message = new StringBuilder();
        if (context != null && !context.isEmpty()) {
            message.append(context).append(": ");
        }
        message.append(syscall).append('(').append(argument).append(") failed: ")
                .append(name(errno)).append(" (").append(describe(errno)).append(')');
        String hint = hint(syscall, argument, errno);
        if (hint != null) {
            message.append("; ").append(hint);
        }
        String text = message.toString();
        String name = name(errno);
        switch (errno) {
            case EPERM:
            case EACCES:
                return new NamespacePermissionException(text, errno, name);
            case ENOENT:
            case ESRCH:
                return new NamespaceNotFoundException(text, errno, name);
            case EEXIST:
                return new NamespaceExistsException(text, errno, name);
            default:
                return new NetnsException(text, errno, name);
        }
    }

    /**
     * The exception for a file that is not a namespace: {@code EINVAL}, or {@code ELOOP} for a
     * symbolic link where none is followed.
     *
     * @param what the file and what it is instead ({@code /tmp/x is a FIFO, not a namespace file})
     */
    public static NotANamespaceException notANamespace(String what, int errno, @Nullable String context) {
        String text = (context != null && !context.isEmpty() ? context + ": " : "") + what;
        return new NotANamespaceException(text, errno, name(errno));
    }

    /**
     * The exception for a name that is missing, with the errno ({@code ENOENT}) of the lookup that
     * found nothing.
     */
    public static NamespaceNotFoundException notFound(String message, int errno) {
        return new NamespaceNotFoundException(message, errno, name(errno));
    }

    /**
     * The exception for a program that could not be started, worded as the JDK's own:
     * {@code Cannot run program "nope" (in directory "/tmp"): error=2, No such file or directory (ENOENT)}.
     *
     * @param step the set-up step that failed ({@code posix_spawn_file_actions_init}), or null for the start itself
     */
    public static IOException startFailure(String program, @Nullable String directory, @Nullable String step, int errno) {
        return new IOException("Cannot run program \"" + program + "\""
                + (directory != null ? " (in directory \"" + directory + "\")" : "") + ": "
                + (step != null ? step + " failed: " : "") + "error=" + errno + ", " + describe(errno) + " (" + name(errno) + ")");
    }

    private static @Nullable String hint(String syscall, String argument, int errno) {
        switch (errno) {
            case EPERM:
            case EACCES:
                if (isSocketCall(syscall)) {
                    // reading needs no capability: no hint would be true
                    return syscall.equals("RTM_NEWNSID") ? "setting a namespace id needs CAP_NET_ADMIN" : null;
                }
                if (!syscall.equals("open") && !syscall.equals("statx")) {
                    return "changing namespaces needs CAP_SYS_ADMIN";
                }
                // The kernel's ptrace access check guards /proc/PID/ns: CAP_SYS_ADMIN does not pass it.
                return OTHER_PROCESS.matcher(argument).lookingAt()
                        ? "opening another process's namespace needs ptrace access to it: the same user holding every"
                                + " capability the process holds, or CAP_SYS_PTRACE (CAP_SYS_ADMIN alone is not enough)"
                        : "this needs CAP_SYS_ADMIN (and ptrace access for another process's namespace)";
            case EMFILE:
            case ENFILE:
                return "too many open files: close handles you no longer need";
            case EBADF:
                return "the handle is closed or none";
            case EEXIST:
                return syscall.equals("RTM_NEWNSID")
                        ? "the namespace has an id here already, or another namespace has this one" : null;
            default:
                return null;
        }
    }

    /** Socket syscalls and netlink requests (named by their message type, {@code RTM_GETLINK}). */
    private static boolean isSocketCall(String syscall) {
        switch (syscall) {
            case "socket":
            case "bind":
            case "send":
            case "recv":
                return true;
            default:
                return syscall.startsWith("RTM_");
        }
    }

    private static String describe(int errno) {
        try {
            return LibC.strerror(errno);
        } catch (LinkageError e) {
            return "unknown error";
        }
    }
}
