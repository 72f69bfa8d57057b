package dev.netns;

import dev.netns.internal.InterfaceListing;
import dev.netns.internal.Linux;
import dev.netns.internal.NamespaceIds;
import dev.netns.internal.PinnedThreads;
import dev.netns.internal.ProcFs;
import dev.netns.internal.Syscalls;
import dev.netns.internal.ThreadGuard;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * The Go package's API on the calling thread: get and set the thread's network namespace, create
 * namespaces, open handles by path, name, pid or thread, and manage named namespaces compatible
 * with {@code ip netns}.
 *
 * <p><b>Threads.</b> Namespace membership is per OS thread. {@link #set}, {@link #setns} and
 * {@link #newNamespace} move the <em>calling</em> thread, and the caller owns saving and restoring
 * it, as in Go; any thread or child process that thread starts meanwhile is born in the namespace
 * it is in. They are refused on virtual threads. Everything else here leaves the calling thread
 * where it is. Code that should simply run inside a namespace is better served by
 * {@code NamespaceTemplate}, which never moves the caller.
 *
 * <p><b>Settings.</b> Everything here that opens a handle or touches named namespaces does so
 * through the {@linkplain NetnsRuntime#defaultRuntime() default runtime}: its run dir, its leak
 * policy, its {@link #openHandles()}. {@link #setRunDirectory}, {@link #logLeaks} and
 * {@link #trackStackTraces} change that runtime's settings and no other's; code that needs settings
 * of its own (an application context, a test) builds a {@link NetnsRuntime} instead.
 *
 * <p>Every method throws {@link UnsupportedOperationException} on an operating system other than
 * Linux, and a {@link NetnsException} subtype naming the syscall and errno when one fails.
 */
// Longer than this project's usual classes: it is the seed's whole static API, one documented
// operation, mostly one line delegating to the default NetnsRuntime; the work is done elsewhere.
public final class Netns {


    private Netns() {
    }

    /** A handle to the calling thread's network namespace ({@code /proc/thread-self/ns/net}). */
    public static NsHandle get() {
        return get(NamespaceType.NET);
    }

    /** A handle to the calling thread's namespace of the given type. */
    public static NsHandle get(NamespaceType type) {
        return runtime().current(type);
    }

    private static NetnsRuntime runtime() {
        return NetnsRuntime.defaultRuntime();
    }

    /**
     * Moves the calling thread into the handle's network namespace. Saving and restoring the
     * previous namespace is the caller's job.
     *
     * @throws IllegalStateException on a virtual thread
     * @throws IllegalArgumentException when the handle is not a network namespace
     * @throws NamespacePermissionException without CAP_SYS_ADMIN
     */
    public static void set(NsHandle ns) {
        enter(ns, NamespaceType.NET, "Netns.set");
    }

    /**
     * Moves the calling thread into the handle's namespace of the given type.
     *
     * @throws IllegalStateException on a virtual thread
     * @throws IllegalArgumentException when the handle is of another type
     */
    public static void setns(NsHandle ns, NamespaceType type) {
        enter(ns, type, "Netns.setns");
    }

    /** {@link #setns}, refusals naming the method the caller called. */
    private static void enter(NsHandle ns, NamespaceType type, String operation) {
        ThreadGuard.requirePlatformThread(operation);
        Linux.require();
        if (ns.isOpen() && ns.type() != type) {
            throw new IllegalArgumentException("Cannot setns " + ns + " as " + type.cloneFlagName()
                    + ": it is a " + ns.type().procName() + " namespace");
        }
        Syscalls.setns(ns.fd(), type);
    }

    /**
     * Go's {@code New()}: creates a network namespace and moves the calling thread into it.
     * Returns a handle to it; the thread's previous namespace is the caller's to restore.
     *
     * @throws IllegalStateException on a virtual thread
     */
    public static NsHandle newNamespace() {
        ThreadGuard.requirePlatformThread("Netns.newNamespace");
        Syscalls.unshare(NamespaceType.NET);
        return runtime().open(NamespaceFile.CURRENT, "new", NamespaceType.NET, "Cannot open the new namespace");
    }

    /**
     * Creates a named network namespace like {@code ip netns add NAME} and returns a handle to it.
     * Unlike Go's {@code NewNamed}, the calling thread stays where it was: the namespace is made by
     * the library's creator thread, which is back home before this returns. The namespace is
     * bind-mounted onto the very file this call created, so concurrent creates and deletes of the
     * same name (in this JVM, another, or {@code ip netns}) never stack two mounts on one file; on
     * failure only the file this call created is removed, and the original error is thrown.
     *
     * <p>Names are byte strings on disk: {@code \xNN} in a name stands for the byte {@code NN}
     * (see {@link #listNamed()}).
     *
     * @throws IllegalArgumentException for a name iproute2 would refuse
     * @throws NamespaceExistsException (EEXIST) when the name is taken (the existing namespace is untouched)
     */
    public static NsHandle newNamed(String name) {
        return runtime().newNamed(name);
    }

    /**
     * Deletes a named network namespace like {@code ip netns delete NAME}: detach the namespace
     * mounted on the name and remove its file (a stale file with nothing mounted on it is removed
     * too). Only an nsfs mount on a regular file directly in the run dir is ever detached, and a
     * symbolic link is never followed: a name holding anything else is refused and left as it is.
     * The namespace itself lives on while handles, threads or sockets still hold it.
     *
     * @throws NamespaceNotFoundException (ENOENT) when no such name exists, or it was deleted by
     *     someone else meanwhile
     * @throws NotANamespaceException when the name holds a symbolic link, a directory, another
     *     filesystem's mount or anything else that is not a named namespace
     */
    public static void deleteNamed(String name) {
        runtime().deleteNamed(name);
    }

    /**
     * Opens the namespace file at {@code path}. It is first opened {@code O_PATH}, which opens
     * nothing, and proven an nsfs namespace file; only then is it opened for reading. A FIFO,
     * device, socket or regular file is refused without ever being opened.
     *
     * @throws NotANamespaceException when the path is not a namespace file
     * @throws NamespaceNotFoundException (ENOENT) when nothing is there
     */
    public static NsHandle fromPath(String path) {
        return runtime().fromPath(path);
    }

    /**
     * Opens a named namespace such as one made by {@code ip netns add}. The name is looked up in
     * the run dir only, without following a symbolic link.
     *
     * @throws NamespaceNotFoundException (ENOENT) when no such name exists
     * @throws NotANamespaceException when the name holds something else (a link, a stale file)
     */
    public static NsHandle fromName(String name) {
        return runtime().fromName(name);
    }

    /** Opens the network namespace of a process. */
    public static NsHandle fromPid(int pid) {
        return runtime().fromPid(pid);
    }

    /** Opens the network namespace of one thread of a process. */
    public static NsHandle fromThread(int pid, int tid) {
        return runtime().fromThread(pid, tid);
    }

    /**
     * Opens the network namespace of a running Docker container, by full id, unique id prefix or
     * name, through the default runtime's {@code dev.netns.docker.DockerNamespaceResolver} for
     * {@code DOCKER_HOST} (or the default socket), created on first use (found as a
     * {@link NamespaceResolverProvider}, so this class does not depend on it). Needs docker-java on the
     * classpath ({@code com.github.docker-java:docker-java-core} and
     * {@code docker-java-transport-zerodep}); the handle's source is {@code docker:NAME}.
     *
     * @throws IllegalArgumentException for an empty or malformed id or name, before any request
     * @throws NamespaceNotFoundException for an unknown container, or one that is not running
     * @throws AmbiguousNamespaceReferenceException for a prefix of several containers' ids
     * @throws NamespaceUnavailableException when the Docker daemon cannot be reached, or
     *     docker-java is not on the classpath
     */
    public static NsHandle fromDocker(String idOrPrefixOrName) {
        return runtime().fromDocker(idOrPrefixOrName);
    }

    /** The empty handle, Go's {@code None()}. */
    public static NsHandle none() {
        return NsHandle.none();
    }

    /**
     * The names in the run dir (and {@code /var/run/netns}), like {@code ip netns list}, sorted.
     * Names are byte strings on disk; each is decoded in the JVM's file name encoding
     * ({@code sun.jnu.encoding}), and every byte that does not decode is shown as {@code \xNN}
     * (a backslash that would read as such an escape as {@code \x5c}). That form is the name's
     * name everywhere in this library: {@code fromName} of it opens the namespace. One odd entry
     * never makes the listing fail.
     */
    public static List<String> listNamed() {
        return runtime().listNamed();
    }

    /**
     * The id (nsid) by which the calling thread's network namespace knows the handle's, as
     * {@code ip netns list-id} shows it there; empty when none is assigned. Netlink messages name
     * namespaces by these ids ({@code link-netnsid}). Asking assigns nothing. The calling thread
     * stays where it is; to ask from another namespace without moving it, use
     * {@link NamespaceTemplate#nsid(String, String)}.
     *
     * @throws IllegalArgumentException when the handle is closed, none, or not a network namespace
     * @throws NetnsException naming errno when the kernel refuses ({@code RTM_GETNSID})
     */
    public static OptionalInt nsid(NsHandle ns) {
        return NamespaceIds.of(requireNetworkHandle(ns));
    }

    /**
     * Gives the handle's network namespace the id {@code nsid} in the calling thread's namespace, as
     * {@code ip netns set NAME NSID} does in the namespace it runs in. An id, once set, stays until
     * one of the two namespaces is freed. The calling thread stays where it is.
     *
     * @param nsid 0 or more
     * @throws IllegalArgumentException for a negative id, or a closed, none or non-network handle
     * @throws NamespaceExistsException when the namespace has an id here already, or another one has this id
     * @throws NamespacePermissionException without CAP_NET_ADMIN
     */
    public static void setNsid(NsHandle ns, int nsid) {
        if (nsid < 0) {
            throw new IllegalArgumentException("A namespace id is 0 or more, not " + nsid);
        }
        NamespaceIds.set(requireNetworkHandle(ns), nsid);
    }

    private static int requireNetworkHandle(NsHandle ns) {
        requireId(ns);
        if (ns.type() != NamespaceType.NET) {
            throw new IllegalArgumentException("Namespace ids are for network namespaces; " + ns + " is a "
                    + ns.type().procName() + " namespace");
        }
        return ns.fd();
    }

    /**
     * Tells the listener whenever a named namespace is added to or deleted from the run dir, by
     * anyone: this JVM, another process, {@code ip netns}. Like {@code ip netns monitor}, it watches
     * the run dir with inotify. Names present when this returns are not reported; every later change
     * is. Close the returned watch to stop it. An event names a namespace as {@link #listNamed()}
     * does (bytes that are not valid in the file name encoding as {@code \xNN}), so the name opens it.
     *
     * <p><b>Thread and order.</b> Events arrive on one daemon thread per watch
     * ({@code netns-watch-N}), started in this JVM's own network namespace whatever namespace the
     * caller is in, one at a time in the order the kernel reported them. A listener that throws is
     * logged and keeps getting events; one that moves the thread into another namespace has it moved
     * back. A slow listener delays later events; should the kernel's queue overflow meanwhile
     * ({@code IN_Q_OVERFLOW}), the run dir is listed again and the difference is reported instead,
     * deletions first, then additions, each sorted by name: a name added and deleted while events
     * were lost is then reported not at all.
     *
     * <p><b>Limits.</b> The run dir is the one configured when the watch starts (not the legacy
     * {@code /var/run/netns} fallback). A run dir that does not exist yet is waited for, and one
     * removed is reported as the deletion of every name in it. ADDED comes when the name's file
     * appears: the namespace is bind-mounted onto it a moment later, so a listener that opens it at
     * once may find an empty file. A mount over an existing file raises no event (inotify does not
     * see mounts), nor does anything in another mount namespace whose run dir does not propagate here.
     *
     * @return the watch; {@code close()} stops it: no event is delivered after it returns (it waits
     *     up to five seconds for a listener that is running), and the thread ends
     * @throws NetnsException when inotify cannot be set up (the per-user limit of inotify instances,
     *     say)
     */
    public static AutoCloseable watchNamed(Consumer<NamedNamespaceEvent> listener) {
        return runtime().watchNamed(listener);
    }

    /** The names that refer to the handle's namespace, like {@code ip netns identify}. */
    public static List<String> namesOf(NsHandle ns) {
        return runtime().namesOf(ns);
    }

    /** The ids of the processes whose network namespace is the handle's, like {@code ip netns pids}. */
    public static List<Integer> pidsIn(NsHandle ns) {
        NamespaceId id = requireId(ns);
        List<Integer> pids = new ArrayList<>();
        for (int pid : ProcFs.processIds()) {
            if (id.equals(Syscalls.idOfOrNull(NamespaceFile.ofProcess(pid)))) {
                pids.add(pid);
            }
        }
        return pids;
    }

    private static NamespaceId requireId(NsHandle ns) {
        NamespaceId id = ns.id();
        if (id == null || !ns.isOpen()) {
            throw new IllegalArgumentException("The handle is closed or none: " + ns);
        }
        return id;
    }

    /**
     * The network interfaces of the calling thread's namespace with their IPv4 and IPv6 addresses,
     * in index order: what {@code ip -j addr} prints there, read over rtnetlink. Reads only; the
     * calling thread stays where it is. On a virtual thread this is its carrier's namespace.
     *
     * <p>Unlike {@code java.net.NetworkInterface}, whose IPv6 half reads the thread-group leader's
     * {@code /proc/net/if_inet6} and so shows host interfaces inside a namespace, this sees only
     * the namespace the calling thread is in.
     *
     * <p>To list another namespace without moving the caller, run it there:
     * {@code template.execute(handle, ns -> Netns.interfaces())}, which
     * {@link NamespaceTemplate#interfaces(String)} does for a reference.
     *
     * @throws NetnsException when the netlink socket cannot be opened or the kernel refuses a dump
     */
    public static List<NetworkInterfaceInfo> interfaces() {
        return InterfaceListing.ofCallingThread();
    }

    /**
     * Every open {@link NsHandle} opened through the default runtime (this class, and every
     * constructor not given a runtime), oldest first. Handles of other runtimes are in theirs
     * ({@link NetnsRuntime#openHandles()}).
     */
    public static List<HandleInfo> openHandles() {
        return runtime().openHandles();
    }

    /**
     * How many handles of the default runtime were garbage-collected while open (each was closed
     * then) since the JVM started.
     */
    public static long leakedHandles() {
        return runtime().leakedHandles();
    }

    /**
     * A setting of the default runtime only: whether handles it opens from now on record the stack
     * that opened them, shown in {@link #openHandles()} and leak logs. Off by default (system
     * property {@code netns.track-stack-traces}): it costs a stack walk per open. Other runtimes
     * have theirs ({@link NetnsRuntime.Builder#trackStackTraces}).
     */
    public static void trackStackTraces(boolean track) {
        runtime().trackStackTraces(track);
    }

    /**
     * A setting of the default runtime only: whether a handle of it garbage-collected while open is
     * logged (it is closed and counted either way). On by default; system property
     * {@code netns.leak-detection.enabled=false} turns it off. Other runtimes have theirs
     * ({@link NetnsRuntime.Builder#logLeaks}).
     */
    public static void logLeaks(boolean log) {
        runtime().logLeaks(log);
    }

    /**
     * Every OS thread of this JVM with its network namespace. A thread outside the host namespace
     * that is not a pinned worker is a {@linkplain ThreadNamespace#stray() stray}.
     */
    public static List<ThreadNamespace> threads() {
        NamespaceId host = hostId();
        List<ThreadNamespace> threads = new ArrayList<>();
        for (int tid : ProcFs.threadIds()) {
            NamespaceId netns = Syscalls.idOfOrNull("/proc/self/task/" + tid + "/ns/net");
            if (netns != null) {
                threads.add(new ThreadNamespace(tid, ProcFs.threadName(tid), netns, host.equals(netns),
                        PinnedThreads.contains(tid)));
            }
        }
        return threads;
    }

    /** The id of this JVM's own network namespace: the thread-group leader's ({@code /proc/self/ns/net}). */
    public static NamespaceId hostId() {
        return Syscalls.idOf(NamespaceFile.HOST, "Cannot read this JVM's network namespace");
    }

    /**
     * The default runtime's run dir for named namespaces: system property {@code netns.run-dir},
     * else {@code /run/netns}, unless changed by {@link #setRunDirectory}.
     */
    public static Path runDirectory() {
        return runtime().runDirectory();
    }

    /**
     * A setting of the default runtime only: changes its run dir for named namespaces (an absolute
     * path; iproute2 uses {@code /run/netns}). Everything that uses the default runtime follows,
     * from its next call on; other runtimes keep theirs ({@link NetnsRuntime.Builder#runDirectory}).
     *
     * @throws IllegalArgumentException for a relative path
     */
    public static void setRunDirectory(Path dir) {
        runtime().setRunDirectory(dir);
    }
}
