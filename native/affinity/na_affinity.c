/*
 * na_affinity.c - CPU affinity, scheduling, thread identity, memory locking (Linux);
 * QoS classes and affinity tags (macOS, compiled only on Darwin).
 */
#if defined(__linux__)
#define _GNU_SOURCE
#endif

#include "na_affinity.h"
#include "../common/na_strerror.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#if defined(__linux__)
#include <sys/syscall.h>
#endif
#if defined(__APPLE__)
#include <mach/mach.h>
#include <mach/thread_policy.h>
#include <pthread/qos.h>
#endif

#define NA_API __attribute__((visibility("default")))

NA_API int32_t na_affinity_abi_version(void) { return NA_AFFINITY_ABI_VERSION; }

NA_API int32_t na_affinity_features(void) {
#if defined(__linux__)
    return NA_FEATURE_PIN | NA_FEATURE_REALTIME | NA_FEATURE_GETCPU | NA_FEATURE_MLOCK;
#elif defined(__APPLE__)
    return NA_FEATURE_QOS | NA_FEATURE_TAGS | NA_FEATURE_MLOCK;
#else
    return 0;
#endif
}

NA_API int64_t na_gettid(void) {
#if defined(__linux__)
    return (int64_t)syscall(SYS_gettid);
#elif defined(__APPLE__)
    uint64_t tid = 0;
    pthread_threadid_np(NULL, &tid);
    return (int64_t)tid;
#else
    return -ENOSYS;
#endif
}

NA_API int32_t na_getcpu(void) {
#if defined(__linux__)
    int c = sched_getcpu();
    return c >= 0 ? c : -errno;
#else
    return -ENOSYS;
#endif
}

#if defined(__linux__)
static int to_policy(int32_t p) {
    switch (p) {
    case NA_SCHED_OTHER: return SCHED_OTHER;
    case NA_SCHED_FIFO: return SCHED_FIFO;
    case NA_SCHED_RR: return SCHED_RR;
    case NA_SCHED_BATCH: return SCHED_BATCH;
    case NA_SCHED_IDLE: return SCHED_IDLE;
    default: return -1;
    }
}

static int32_t from_policy(int p) {
    switch (p & ~SCHED_RESET_ON_FORK) {
    case SCHED_OTHER: return NA_SCHED_OTHER;
    case SCHED_FIFO: return NA_SCHED_FIFO;
    case SCHED_RR: return NA_SCHED_RR;
    case SCHED_BATCH: return NA_SCHED_BATCH;
    case SCHED_IDLE: return NA_SCHED_IDLE;
    default: return -EINVAL;
    }
}
#endif

NA_API int32_t na_set_affinity(int64_t tid, const uint64_t *mask, int32_t words) {
#if defined(__linux__)
    if (mask == NULL || words <= 0) return -EINVAL;
    size_t bytes = (size_t)words * sizeof(uint64_t);
    long r = syscall(SYS_sched_setaffinity, (pid_t)tid, bytes, mask);
    return r == 0 ? 0 : -errno;
#else
    (void)tid; (void)mask; (void)words;
    return -EOPNOTSUPP;
#endif
}

NA_API int32_t na_get_affinity(int64_t tid, uint64_t *mask, int32_t words) {
#if defined(__linux__)
    if (mask == NULL || words <= 0) return -EINVAL;
    size_t bytes = (size_t)words * sizeof(uint64_t);
    memset(mask, 0, bytes);
    /* The raw system call takes any multiple of sizeof(long) and returns the bytes it wrote. */
    long r = syscall(SYS_sched_getaffinity, (pid_t)tid, bytes, mask);
    return r >= 0 ? 0 : -errno;
#else
    (void)tid; (void)mask; (void)words;
    return -EOPNOTSUPP;
#endif
}

NA_API int32_t na_set_scheduler(int64_t tid, int32_t policy, int32_t priority) {
#if defined(__linux__)
    int p = to_policy(policy);
    if (p < 0) return -EINVAL;
    struct sched_param sp;
    memset(&sp, 0, sizeof sp);
    sp.sched_priority = priority;
    return sched_setscheduler((pid_t)tid, p, &sp) == 0 ? 0 : -errno;
#else
    (void)tid; (void)policy; (void)priority;
    return -EOPNOTSUPP;
#endif
}

NA_API int32_t na_get_scheduler(int64_t tid, int32_t *priority) {
#if defined(__linux__)
    int p = sched_getscheduler((pid_t)tid);
    if (p < 0) return -errno;
    if (priority != NULL) {
        struct sched_param sp;
        if (sched_getparam((pid_t)tid, &sp) != 0) return -errno;
        *priority = sp.sched_priority;
    }
    return from_policy(p);
#else
    (void)tid;
    if (priority != NULL) *priority = 0;
    return NA_SCHED_OTHER;
#endif
}

NA_API int32_t na_priority_min(int32_t policy) {
#if defined(__linux__)
    int p = to_policy(policy);
    if (p < 0) return -EINVAL;
    int r = sched_get_priority_min(p);
    return r >= 0 ? r : -errno;
#else
    (void)policy;
    return 0;
#endif
}

NA_API int32_t na_priority_max(int32_t policy) {
#if defined(__linux__)
    int p = to_policy(policy);
    if (p < 0) return -EINVAL;
    int r = sched_get_priority_max(p);
    return r >= 0 ? r : -errno;
#else
    (void)policy;
    return 0;
#endif
}

NA_API int32_t na_set_nice(int64_t tid, int32_t nice) {
#if defined(__linux__)
    return setpriority(PRIO_PROCESS, (id_t)tid, nice) == 0 ? 0 : -errno;
#else
    if (tid != 0) return -EOPNOTSUPP;
    return setpriority(PRIO_PROCESS, 0, nice) == 0 ? 0 : -errno;
#endif
}

NA_API int32_t na_get_nice(int64_t tid, int32_t *nice) {
    if (nice == NULL) return -EINVAL;
    errno = 0;
#if defined(__linux__)
    int r = getpriority(PRIO_PROCESS, (id_t)tid);
#else
    if (tid != 0) return -EOPNOTSUPP;
    int r = getpriority(PRIO_PROCESS, 0);
#endif
    if (r == -1 && errno != 0) return -errno;
    *nice = r;
    return 0;
}

NA_API int32_t na_rtprio_limit(int32_t *unlimited) {
#if defined(__linux__)
    struct rlimit rl;
    if (getrlimit(RLIMIT_RTPRIO, &rl) != 0) return -errno;
    if (unlimited != NULL) *unlimited = rl.rlim_cur == RLIM_INFINITY ? -1 : 0;
    return rl.rlim_cur == RLIM_INFINITY ? 99 : (int32_t)(rl.rlim_cur > 99 ? 99 : rl.rlim_cur);
#else
    if (unlimited != NULL) *unlimited = 0;
    return 0;
#endif
}

NA_API int32_t na_mlockall(int32_t flags) {
    int f = 0;
    if (flags & NA_MLOCK_CURRENT) f |= MCL_CURRENT;
    if (flags & NA_MLOCK_FUTURE) f |= MCL_FUTURE;
    if (f == 0) return -EINVAL;
    return mlockall(f) == 0 ? 0 : -errno;
}

NA_API int32_t na_munlockall(void) { return munlockall() == 0 ? 0 : -errno; }

NA_API int32_t na_set_thread_name(const char *name) {
    if (name == NULL) return -EINVAL;
#if defined(__linux__)
    if (strlen(name) > 15) return -ERANGE;
    int r = pthread_setname_np(pthread_self(), name);
    return r == 0 ? 0 : -r;
#elif defined(__APPLE__)
    int r = pthread_setname_np(name);
    return r == 0 ? 0 : -r;
#else
    return -ENOSYS;
#endif
}

NA_API int32_t na_get_thread_name(char *buf, int32_t cap) {
    if (buf == NULL || cap <= 0) return -EINVAL;
    int r = pthread_getname_np(pthread_self(), buf, (size_t)cap);
    return r == 0 ? 0 : -r;
}

NA_API int32_t na_set_qos_class(int32_t qos, int32_t relative_priority) {
#if defined(__APPLE__)
    int r = pthread_set_qos_class_self_np((qos_class_t)qos, relative_priority);
    return r == 0 ? 0 : -r;
#else
    (void)qos; (void)relative_priority;
    return -EOPNOTSUPP;
#endif
}

NA_API int32_t na_get_qos_class(void) {
#if defined(__APPLE__)
    qos_class_t q = QOS_CLASS_UNSPECIFIED;
    int rel = 0;
    int r = pthread_get_qos_class_np(pthread_self(), &q, &rel);
    return r == 0 ? (int32_t)q : -r;
#else
    return -EOPNOTSUPP;
#endif
}

NA_API int32_t na_set_affinity_tag(int32_t tag) {
#if defined(__APPLE__)
    thread_affinity_policy_data_t policy = { tag };
    kern_return_t kr = thread_policy_set(mach_thread_self(), THREAD_AFFINITY_POLICY,
                                         (thread_policy_t)&policy, THREAD_AFFINITY_POLICY_COUNT);
    return kr == KERN_SUCCESS ? 0 : (kr == KERN_NOT_SUPPORTED ? -EOPNOTSUPP : -EINVAL);
#else
    (void)tag;
    return -EOPNOTSUPP;
#endif
}

NA_API int32_t na_memlock_unlimited(void) {
    struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
    return setrlimit(RLIMIT_MEMLOCK, &rl) == 0 ? 0 : -errno;
}

NA_API int32_t na_exec(const char *file, const char *const *argv) {
    if (file == NULL || argv == NULL || argv[0] == NULL) return -EINVAL;
    execvp(file, (char *const *)argv);
    return -errno;
}

NA_API int32_t na_affinity_strerror(int32_t errnum, char *buf, int32_t cap) {
    return na_copy_strerror(errnum, buf, cap);
}
