/*
 * na_shm.c - POSIX shared memory and futex shim (Linux; macOS compiled only on Darwin).
 */
#if defined(__linux__)
#define _GNU_SOURCE
#endif

#include "na_shm.h"
#include "../common/na_strerror.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#if defined(__linux__)
#include <linux/futex.h>
#include <sys/syscall.h>
#endif

#define NA_API __attribute__((visibility("default")))

#if defined(__APPLE__)
/* Darwin's address wait/wake (libsystem_kernel, stable since macOS 10.12; used by libc++).
 * Declared here because the SDK does not ship a public header for it. */
extern int __ulock_wait(uint32_t operation, void *addr, uint64_t value, uint32_t timeout_us);
extern int __ulock_wake(uint32_t operation, void *addr, uint64_t wake_value);
#define NA_UL_COMPARE_AND_WAIT_SHARED 3
#define NA_ULF_WAKE_ALL 0x00000100
#define NA_ULF_NO_ERRNO 0x01000000
#endif

NA_API int32_t na_shm_abi_version(void) { return NA_SHM_ABI_VERSION; }

NA_API int64_t na_shm_layout(int32_t query) {
    switch (query) {
    case NA_SHM_LAYOUT_STAT_SIZE: return (int64_t)sizeof(na_shm_stat);
    case NA_SHM_LAYOUT_STAT_SIZE_OFFSET: return (int64_t)offsetof(na_shm_stat, size);
    case NA_SHM_LAYOUT_STAT_MODE_OFFSET: return (int64_t)offsetof(na_shm_stat, mode);
    case NA_SHM_LAYOUT_STAT_UID_OFFSET: return (int64_t)offsetof(na_shm_stat, uid);
    case NA_SHM_LAYOUT_STAT_GID_OFFSET: return (int64_t)offsetof(na_shm_stat, gid);
    case NA_SHM_LAYOUT_STAT_MTIME_OFFSET: return (int64_t)offsetof(na_shm_stat, mtime_ns);
    default: return -EINVAL;
    }
}

NA_API int64_t na_shm_page_size(void) {
    long p = sysconf(_SC_PAGESIZE);
    return p > 0 ? (int64_t)p : 4096;
}

NA_API int32_t na_shm_name_max(void) {
#if defined(__APPLE__)
    return 31; /* PSHMNAMLEN */
#else
    return NAME_MAX + 1; /* the leading '/' plus a file name in /dev/shm */
#endif
}

NA_API int32_t na_shm_strerror(int32_t errnum, char *buf, int32_t cap) {
    return na_copy_strerror(errnum, buf, cap);
}

static int to_oflags(int32_t flags) {
    int o = (flags & NA_SHM_O_READONLY) ? O_RDONLY : O_RDWR;
    if (flags & NA_SHM_O_CREATE) o |= O_CREAT;
    if (flags & NA_SHM_O_EXCL) o |= O_EXCL;
    return o | O_CLOEXEC;
}

/* Opens with O_EXCL first when creating, so the caller learns whether this call created it. */
static int32_t open_common(const char *name, int32_t flags, uint32_t mode, int32_t *created,
                           int is_file) {
    if (name == NULL) return -EINVAL;
    if (created) *created = 0;
    int o = to_oflags(flags);
    int fd = -1;
    if ((flags & NA_SHM_O_CREATE) && !(flags & NA_SHM_O_EXCL)) {
        for (int attempt = 0; attempt < 8; attempt++) {
            fd = is_file ? open(name, o | O_EXCL, (mode_t)mode) : shm_open(name, o | O_EXCL, (mode_t)mode);
            if (fd >= 0) break;
            if (errno != EEXIST) return -errno;
            int o2 = o & ~(O_CREAT | O_EXCL);
            fd = is_file ? open(name, o2) : shm_open(name, o2, 0);
            if (fd >= 0) return fd;
            if (errno != ENOENT) return -errno;
            /* removed between the two calls: try again */
        }
        if (fd < 0) return -EAGAIN;
    } else {
        fd = is_file ? open(name, o, (mode_t)mode) : shm_open(name, o, (mode_t)mode);
        if (fd < 0) return -errno;
        if (!(flags & NA_SHM_O_CREATE)) return fd;
    }
    /* This call created the object: apply the exact mode regardless of the umask. */
    if (fchmod(fd, (mode_t)mode) != 0) {
        int e = errno;
        close(fd);
        if (is_file) unlink(name); else shm_unlink(name);
        return -e;
    }
    if (created) *created = 1;
    return fd;
}

NA_API int32_t na_shm_open(const char *name, int32_t flags, uint32_t mode, int32_t *created) {
    return open_common(name, flags, mode, created, 0);
}

NA_API int32_t na_shm_open_file(const char *path, int32_t flags, uint32_t mode, int32_t *created) {
    return open_common(path, flags, mode, created, 1);
}

NA_API int32_t na_shm_unlink(const char *name) {
    if (name == NULL) return -EINVAL;
    return shm_unlink(name) == 0 ? 0 : -errno;
}

NA_API int32_t na_shm_unlink_file(const char *path) {
    if (path == NULL) return -EINVAL;
    return unlink(path) == 0 ? 0 : -errno;
}

NA_API int32_t na_shm_resize(int32_t fd, uint64_t size, int32_t reserve) {
    if (size > (uint64_t)INT64_MAX) return -EFBIG;
    if (ftruncate(fd, (off_t)size) != 0) return -errno;
#if defined(__linux__)
    if (reserve) {
        int r = posix_fallocate(fd, 0, (off_t)size); /* returns the error number itself */
        if (r != 0 && r != EOPNOTSUPP && r != EINVAL) return -r;
    }
#else
    (void)reserve;
#endif
    return 0;
}

NA_API int32_t na_shm_fstat(int32_t fd, na_shm_stat *out) {
    if (out == NULL) return -EINVAL;
    struct stat st;
    if (fstat(fd, &st) != 0) return -errno;
    out->size = (uint64_t)st.st_size;
    out->mode = (uint32_t)(st.st_mode & 07777);
    out->uid = (uint32_t)st.st_uid;
    out->gid = (uint32_t)st.st_gid;
    out->reserved = 0;
#if defined(__APPLE__)
    out->mtime_ns = (int64_t)st.st_mtimespec.tv_sec * 1000000000LL + st.st_mtimespec.tv_nsec;
#else
    out->mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
#endif
    return 0;
}

NA_API int32_t na_shm_map(int32_t fd, uint64_t size, int32_t flags, void **addr) {
    if (addr == NULL || size == 0) return -EINVAL;
    int prot = PROT_READ | ((flags & NA_SHM_MAP_WRITE) ? PROT_WRITE : 0);
    int mflags = MAP_SHARED;
#if defined(MAP_POPULATE)
    if (flags & NA_SHM_MAP_PREFAULT) mflags |= MAP_POPULATE;
#endif
    void *p = mmap(NULL, (size_t)size, prot, mflags, fd, 0);
    if (p == MAP_FAILED) return -errno;
#if !defined(MAP_POPULATE)
    if (flags & NA_SHM_MAP_PREFAULT) {
        long page = sysconf(_SC_PAGESIZE);
        volatile const char *c = (volatile const char *)p;
        for (uint64_t off = 0; off < size; off += (uint64_t)page) (void)c[off];
    }
#endif
    *addr = p;
    return 0;
}

NA_API int32_t na_shm_unmap(void *addr, uint64_t size) {
    return munmap(addr, (size_t)size) == 0 ? 0 : -errno;
}

NA_API int32_t na_shm_lock(void *addr, uint64_t size) {
    return mlock(addr, (size_t)size) == 0 ? 0 : -errno;
}

NA_API int32_t na_shm_unlock(void *addr, uint64_t size) {
    return munlock(addr, (size_t)size) == 0 ? 0 : -errno;
}

NA_API int32_t na_shm_close(int32_t fd) {
    return close(fd) == 0 ? 0 : -errno;
}

NA_API int32_t na_futex_wait(uint32_t *addr, uint32_t expected, int64_t timeout_ns) {
    if (addr == NULL || ((uintptr_t)addr & 3u) != 0) return -EINVAL;
#if defined(__linux__)
    struct timespec ts, *tsp = NULL;
    if (timeout_ns >= 0) {
        ts.tv_sec = (time_t)(timeout_ns / 1000000000LL);
        ts.tv_nsec = (long)(timeout_ns % 1000000000LL);
        tsp = &ts;
    }
    /* FUTEX_WAIT without FUTEX_PRIVATE_FLAG: the word may be shared with other processes. */
    long r = syscall(SYS_futex, addr, FUTEX_WAIT, expected, tsp, NULL, 0);
    if (r == 0) return NA_FUTEX_WOKEN;
    switch (errno) {
    case EAGAIN: return NA_FUTEX_NOT_EQUAL;
    case ETIMEDOUT: return NA_FUTEX_TIMED_OUT;
    case EINTR: return NA_FUTEX_INTERRUPTED;
    default: return -errno;
    }
#elif defined(__APPLE__)
    uint32_t timeout_us = 0; /* 0: wait forever */
    if (timeout_ns >= 0) {
        uint64_t us = ((uint64_t)timeout_ns + 999) / 1000;
        if (us == 0) us = 1;
        timeout_us = us > UINT32_MAX ? UINT32_MAX : (uint32_t)us;
    }
    if (__atomic_load_n(addr, __ATOMIC_ACQUIRE) != expected) return NA_FUTEX_NOT_EQUAL;
    int r = __ulock_wait(NA_UL_COMPARE_AND_WAIT_SHARED | NA_ULF_NO_ERRNO, addr, expected, timeout_us);
    if (r >= 0) return NA_FUTEX_WOKEN;
    switch (-r) {
    case ETIMEDOUT: return NA_FUTEX_TIMED_OUT;
    case EINTR: return NA_FUTEX_INTERRUPTED;
    case EFAULT: return -EFAULT;
    default: return r;
    }
#else
    (void)expected; (void)timeout_ns;
    return -ENOSYS;
#endif
}

NA_API int32_t na_futex_wake(uint32_t *addr, int32_t count) {
    if (addr == NULL || ((uintptr_t)addr & 3u) != 0) return -EINVAL;
#if defined(__linux__)
    long r = syscall(SYS_futex, addr, FUTEX_WAKE, count <= 0 ? INT_MAX : count, NULL, NULL, 0);
    return r >= 0 ? (int32_t)r : -errno;
#elif defined(__APPLE__)
    int r = __ulock_wake(NA_UL_COMPARE_AND_WAIT_SHARED | NA_ULF_NO_ERRNO | (count == 1 ? 0 : NA_ULF_WAKE_ALL), addr, 0);
    if (r >= 0 || r == -ENOENT) return 0; /* ENOENT: nobody was waiting */
    return r;
#else
    (void)count;
    return -ENOSYS;
#endif
}
