package dev.netns;

/**
 * One namespace's pinned executor, as {@link NamespaceExecutors#executors()} reports it.
 *
 * @param namespace the namespace its threads are in
 * @param label the alias or name it was created for, else the namespace id
 * @param threads live threads
 * @param active threads running a task now
 * @param queued tasks waiting
 * @param completed tasks finished since it was created
 * @param retired threads retired because a task moved them out of the namespace
 * @param hung callbacks running longer than {@link ExecutorSettings#hungAfter()} now
 */
public record ExecutorInfo(NamespaceId namespace, String label, int threads, int active, int queued, long completed,
        long retired, int hung) {

    /** Without a hung count (0). */
    public ExecutorInfo(NamespaceId namespace, String label, int threads, int active, int queued, long completed,
            long retired) {
        this(namespace, label, threads, active, queued, completed, retired, 0);
    }
}
