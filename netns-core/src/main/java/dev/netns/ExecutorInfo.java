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
 */
public record ExecutorInfo(NamespaceId namespace, String label, int threads, int active, int queued, long completed,
        long retired) {
}
