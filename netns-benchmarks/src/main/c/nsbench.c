/*
 * nsbench: the C floors the Java benchmarks are compared against, measured in the same run.
 *
 *   nsbench RUN_DIR NAME_PREFIX [named|thousand]
 *
 * With "named", only the named create+delete floors; with "thousand", only one round of the
 * 1,000-namespace floor. NamedBenchmark and ThousandNamedBenchmark run these before each of their
 * iterations, so that C and Java take turns on the same run dir. (What ext4 does on a create
 * depends on how many files were deleted recently: it skips inodes freed while their inode table
 * block is not yet written back, one by one, so either side would pay for the churn that ran
 * before it.)
 *
 * Prints "key value" lines (medians in microseconds unless the key says otherwise) and '#'
 * comments. Every namespace it names starts with NAME_PREFIX and is deleted before it exits;
 * the calling script also removes leftovers by prefix if it is killed.
 *
 * Named namespaces are made exactly as iproute2 and netns-core make them: mkdir the run dir,
 * make it a shared mount under an exclusive flock (bind it onto itself first if it is not a
 * mount point), create the file O_EXCL, unshare(CLONE_NEWNET), bind-mount
 * /proc/thread-self/ns/net onto the file; delete is umount2(MNT_DETACH) + unlink. The named floor
 * runs three ways: on the calling thread (iproute2), with the unshare on a new pthread, and with it
 * handed to a long-lived creator thread and back (netns-core's design, without a JVM).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *run_dir;
static const char *prefix;
static int origin_fd = -1;

static void die(const char *what, const char *arg)
{
    fprintf(stderr, "nsbench: %s(%s): %s\n", what, arg, strerror(errno));
    exit(1);
}

static inline uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Median of the samples, in microseconds; sorts them. */
static double median_us(uint64_t *samples, size_t n)
{
    qsort(samples, n, sizeof *samples, cmp_u64);
    uint64_t m = n % 2 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2;
    return m / 1000.0;
}

static void file_of(char *buf, size_t size, const char *kind, int i)
{
    snprintf(buf, size, "%s/%s-c-%s-%d", run_dir, prefix, kind, i);
}

/* mkdir + shared mount of the run dir under an exclusive flock, as netns-core does on every create. */
static void make_shared_run_dir(void)
{
    if (mkdir(run_dir, 0755) != 0 && errno != EEXIST)
        die("mkdir", run_dir);
    int fd = open(run_dir, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        die("open", run_dir);
    if (flock(fd, LOCK_EX) != 0)
        die("flock", run_dir);
    if (mount("", run_dir, "none", MS_SHARED | MS_REC, NULL) != 0) {
        if (errno != EINVAL)
            die("mount MS_SHARED", run_dir);
        if (mount(run_dir, run_dir, "none", MS_BIND | MS_REC, NULL) != 0)
            die("mount MS_BIND", run_dir);
        if (mount("", run_dir, "none", MS_PRIVATE | MS_REC, NULL) != 0)
            die("mount MS_PRIVATE", run_dir);
        if (mount("", run_dir, "none", MS_SHARED | MS_REC, NULL) != 0)
            die("mount MS_SHARED", run_dir);
    }
    close(fd); /* releases the flock */
}

static void create_file(const char *file)
{
    int fd = open(file, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
    if (fd < 0)
        die("open O_EXCL", file);
    close(fd);
}

static void *unshare_and_bind(void *file)
{
    if (unshare(CLONE_NEWNET) != 0)
        die("unshare", "CLONE_NEWNET");
    if (mount("/proc/thread-self/ns/net", file, "none", MS_BIND, NULL) != 0)
        die("mount MS_BIND", file);
    return NULL;
}

/* Named create on the calling thread (as iproute2), which then switches back for the next round. */
static void create_named(const char *file)
{
    make_shared_run_dir();
    create_file(file);
    unshare_and_bind((void *)file);
    if (setns(origin_fd, CLONE_NEWNET) != 0)
        die("setns", "origin");
}

/* Named create with the unshare on a fresh thread that then ends (as netns-core did before its creator thread). */
static void create_named_on_thread(const char *file)
{
    pthread_t thread;
    make_shared_run_dir();
    create_file(file);
    if ((errno = pthread_create(&thread, NULL, unshare_and_bind, (void *)file)) != 0)
        die("pthread_create", file);
    pthread_join(thread, NULL);
}

/*
 * The design netns-core uses, in C: a long-lived creator thread, woken through a condition
 * variable, unshares, opens the new namespace, switches back and hands the fd over; the caller asks
 * before it makes the name's file (so the two overlap) and bind-mounts the fd onto the file. What
 * it costs over create_named is the hand-off there and back, without a JVM.
 */
static pthread_mutex_t creator_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t creator_wake = PTHREAD_COND_INITIALIZER;
static int creator_asked;   /* set by the caller, cleared by the creator */
static int creator_made = -1; /* the new namespace's fd, -1 until made */

static void *creator_loop(void *unused)
{
    (void)unused;
    pthread_mutex_lock(&creator_lock);
    for (;;) {
        while (!creator_asked)
            pthread_cond_wait(&creator_wake, &creator_lock);
        creator_asked = 0;
        pthread_mutex_unlock(&creator_lock);
        if (unshare(CLONE_NEWNET) != 0)
            die("unshare", "CLONE_NEWNET");
        int made = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
        if (made < 0)
            die("open", "/proc/thread-self/ns/net");
        if (setns(origin_fd, CLONE_NEWNET) != 0)
            die("setns", "origin");
        pthread_mutex_lock(&creator_lock);
        creator_made = made;
        pthread_cond_broadcast(&creator_wake);
    }
    return NULL;
}

static void create_named_by_creator(const char *file)
{
    static pthread_t creator;
    if (!creator && (errno = pthread_create(&creator, NULL, creator_loop, NULL)) != 0)
        die("pthread_create", "creator");
    make_shared_run_dir();
    pthread_mutex_lock(&creator_lock);
    creator_asked = 1;
    pthread_cond_broadcast(&creator_wake);
    pthread_mutex_unlock(&creator_lock);
    int fd = open(file, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
    if (fd < 0)
        die("open O_EXCL", file);
    pthread_mutex_lock(&creator_lock);
    while (creator_made < 0)
        pthread_cond_wait(&creator_wake, &creator_lock);
    int made = creator_made;
    creator_made = -1;
    pthread_mutex_unlock(&creator_lock);
    char source[64];
    snprintf(source, sizeof source, "/proc/self/fd/%d", made);
    if (mount(source, file, "none", MS_BIND, NULL) != 0)
        die("mount", file);
    close(made);
    close(fd);
}

static void delete_named(const char *file)
{
    if (umount2(file, MNT_DETACH) != 0)
        die("umount2", file);
    if (unlink(file) != 0)
        die("unlink", file);
}

static void bench_setns(const char *target_file)
{
    enum { WARMUP = 20000, N = 200000 };
    static uint64_t samples[N];
    int target = open(target_file, O_RDONLY | O_CLOEXEC);
    if (target < 0)
        die("open", target_file);
    for (int i = 0; i < WARMUP + N; i++) {
        uint64_t t0 = now_ns();
        if (setns(target, CLONE_NEWNET) != 0)
            die("setns", "target");
        if (setns(origin_fd, CLONE_NEWNET) != 0)
            die("setns", "origin");
        if (i >= WARMUP)
            samples[i - WARMUP] = now_ns() - t0;
    }
    printf("setns_pair %.3f\n", median_us(samples, N));
    for (int i = 0; i < WARMUP + N; i++) {
        uint64_t t0 = now_ns();
        int fd = open(target_file, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            die("open", target_file);
        close(fd);
        if (i >= WARMUP)
            samples[i - WARMUP] = now_ns() - t0;
    }
    printf("open_close_named %.3f\n", median_us(samples, N));
    struct statx stx;
    for (int i = 0; i < WARMUP + N; i++) {
        uint64_t t0 = now_ns();
        if (statx(AT_FDCWD, target_file, 0, STATX_INO, &stx) != 0)
            die("statx", target_file);
        if (i >= WARMUP)
            samples[i - WARMUP] = now_ns() - t0;
    }
    printf("statx_named %.3f\n", median_us(samples, N));
    /* what a pinned worker does after every task: statx of "net" in its own /proc ns directory */
    int ns_dir = open("/proc/thread-self/ns", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (ns_dir < 0)
        die("open", "/proc/thread-self/ns");
    for (int i = 0; i < WARMUP + N; i++) {
        uint64_t t0 = now_ns();
        if (statx(ns_dir, "net", 0, STATX_INO, &stx) != 0)
            die("statx", "net");
        if (i >= WARMUP)
            samples[i - WARMUP] = now_ns() - t0;
    }
    printf("statx_thread_ns %.3f\n", median_us(samples, N));
    close(ns_dir);
    close(target);
}

static void bench_named(void)
{
    enum { WARMUP = 100, N = 2000 };
    static uint64_t create[N], delete[N], both[N];
    char file[4096];
    static const char *const keys[] = { "named", "named_thread", "named_creator" };
    static void (*const creates[])(const char *) = { create_named, create_named_on_thread, create_named_by_creator };
    for (int variant = 0; variant < 3; variant++) {
        for (int i = 0; i < WARMUP + N; i++) {
            file_of(file, sizeof file, keys[variant], i);
            uint64_t t0 = now_ns();
            creates[variant](file);
            uint64_t t1 = now_ns();
            delete_named(file);
            uint64_t t2 = now_ns();
            if (i >= WARMUP) {
                create[i - WARMUP] = t1 - t0;
                delete[i - WARMUP] = t2 - t1;
                both[i - WARMUP] = t2 - t0;
            }
        }
        const char *key = keys[variant];
        printf("%s_create_delete %.1f\n", key, median_us(both, N));
        printf("%s_create %.1f\n", key, median_us(create, N));
        printf("%s_delete %.1f\n", key, median_us(delete, N));
    }
}

/* A condition-variable round trip to one waiting thread: the hand-off floor without a JVM. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static int turn; /* 0: the caller's, 1: the worker's, -1: stop */

static void *handoff_worker(void *unused)
{
    (void)unused;
    pthread_mutex_lock(&lock);
    for (;;) {
        while (turn == 0)
            pthread_cond_wait(&wake, &lock);
        if (turn < 0)
            break;
        turn = 0;
        pthread_cond_broadcast(&wake);
    }
    pthread_mutex_unlock(&lock);
    return NULL;
}

static void bench_handoff(void)
{
    enum { WARMUP = 2000, N = 20000 };
    static uint64_t samples[N];
    pthread_t worker;
    if ((errno = pthread_create(&worker, NULL, handoff_worker, NULL)) != 0)
        die("pthread_create", "handoff");
    for (int i = 0; i < WARMUP + N; i++) {
        uint64_t t0 = now_ns();
        pthread_mutex_lock(&lock);
        turn = 1;
        pthread_cond_broadcast(&wake);
        while (turn == 1)
            pthread_cond_wait(&wake, &lock);
        pthread_mutex_unlock(&lock);
        if (i >= WARMUP)
            samples[i - WARMUP] = now_ns() - t0;
    }
    pthread_mutex_lock(&lock);
    turn = -1;
    pthread_cond_broadcast(&wake);
    pthread_mutex_unlock(&lock);
    pthread_join(worker, NULL);
    printf("handoff_pair %.2f\n", median_us(samples, N));
}

static void *nothing(void *unused)
{
    return unused;
}

/* Starting and joining a thread that does nothing: what a thread per namespace costs before its work. */
static void bench_thread(void)
{
    enum { WARMUP = 200, N = 5000 };
    static uint64_t samples[N];
    for (int i = 0; i < WARMUP + N; i++) {
        pthread_t thread;
        uint64_t t0 = now_ns();
        if ((errno = pthread_create(&thread, NULL, nothing, NULL)) != 0)
            die("pthread_create", "nothing");
        pthread_join(thread, NULL);
        if (i >= WARMUP)
            samples[i - WARMUP] = now_ns() - t0;
    }
    printf("thread_start_join %.1f\n", median_us(samples, N));
}

static void bench_thousand(int rounds)
{
    enum { COUNT = 1000, MAX_ROUNDS = 3 };
    uint64_t totals[MAX_ROUNDS];
    char file[4096];
    for (int r = 0; r < rounds; r++) {
        uint64_t t0 = now_ns();
        for (int i = 0; i < COUNT; i++) {
            file_of(file, sizeof file, "many", i);
            create_named(file);
        }
        for (int i = 0; i < COUNT; i++) {
            file_of(file, sizeof file, "many", i);
            delete_named(file);
        }
        totals[r] = now_ns() - t0;
    }
    /* median_us gives microseconds; the key is in seconds */
    printf("thousand_named_s %.3f\n", median_us(totals, rounds) / 1e6);
}

int main(int argc, char **argv)
{
    const char *only = argc == 4 ? argv[3] : NULL;
    if (argc != 3 && !(only && (strcmp(only, "named") == 0 || strcmp(only, "thousand") == 0))) {
        fprintf(stderr, "usage: nsbench RUN_DIR NAME_PREFIX [named|thousand]\n");
        return 2;
    }
    run_dir = argv[1];
    prefix = argv[2];
    origin_fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    if (origin_fd < 0)
        die("open", "/proc/thread-self/ns/net");

    if (only && strcmp(only, "named") == 0) {
        bench_named();
        return 0;
    }
    if (only && strcmp(only, "thousand") == 0) {
        bench_thousand(1);
        return 0;
    }

    char target[4096];
    file_of(target, sizeof target, "target", 0);
    create_named(target);
    printf("# setns pair: setns(target) + setns(origin), each pair timed (clock_gettime); open+close and statx\n");
    bench_setns(target);
    delete_named(target);

    printf("# hand-off: condition-variable round trip to one waiting thread\n");
    bench_handoff();
    printf("# a thread started and joined, doing nothing\n");
    bench_thread();
    printf("# named create+delete: same thread (iproute2), unshare on a new thread, and on a long-lived creator thread (netns-core's design)\n");
    bench_named();
    printf("# 1,000 named namespaces created then deleted, median of 3 rounds\n");
    bench_thousand(3);
    return 0;
}
