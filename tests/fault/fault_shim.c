/*
 * An LD_PRELOAD shim that makes certd's file-system writes observable and
 * breakable, deterministically: it logs every mutating operation on the
 * watched paths and can fail or kill the process at exactly the Nth one.
 *
 *   CERTD_FAULT_WATCH   colon-separated path prefixes to watch (required)
 *   CERTD_FAULT_LOG     file to append "op path [target]" lines to
 *   CERTD_FAULT_AT      1-based number of the watched operation to break
 *   CERTD_FAULT_ACTION  "kill" (SIGKILL before the operation runs, as a
 *                       crash or power cut would), or an errno name the
 *                       operation fails with instead of running: ENOSPC,
 *                       EPERM, EIO, EDQUOT
 *
 * Watched operations: creating opens, write, fsync, fdatasync, mkdir,
 * rmdir, rename, link, symlink, unlink, fchmod, fchown. Reads are not
 * counted. Paths given relative to a directory descriptor are resolved
 * through /proc/self/fd. Calls inside libc (fopen's open, say) are not seen.
 */
#define _GNU_SOURCE
#undef _FILE_OFFSET_BITS /* wrap open and open64 separately */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#define MAX_FDS 4096

static pthread_mutex_t fdLock = PTHREAD_MUTEX_INITIALIZER;
static char* fdPaths[MAX_FDS];
static atomic_long counter;

static const char* env(const char* name)
{
    const char* value = getenv(name);
    return value && *value ? value : NULL;
}

static int watched(const char* path)
{
    const char* prefixes = env("CERTD_FAULT_WATCH");
    if (!prefixes || !path)
        return 0;
    const char* start = prefixes;
    while (*start) {
        const char* end = strchr(start, ':');
        size_t length = end ? (size_t)(end - start) : strlen(start);
        if (length > 0 && strncmp(path, start, length) == 0 && (path[length] == '\0' || path[length] == '/'))
            return 1;
        if (!end)
            break;
        start = end + 1;
    }
    return 0;
}

/* dirfd + name as an absolute path, in out (PATH_MAX). */
static void resolve(int dirfd, const char* name, char* out)
{
    out[0] = '\0';
    if (!name)
        return;
    if (name[0] == '/' || dirfd == AT_FDCWD) {
        if (name[0] == '/') {
            snprintf(out, PATH_MAX, "%s", name);
        } else {
            char cwd[PATH_MAX];
            if (getcwd(cwd, sizeof cwd))
                snprintf(out, PATH_MAX, "%s/%s", cwd, name);
        }
        return;
    }
    char link[64], directory[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", dirfd);
    ssize_t length = readlink(link, directory, sizeof directory - 1);
    if (length < 0)
        return;
    directory[length] = '\0';
    snprintf(out, PATH_MAX, "%s/%s", directory, name);
}

static void pathOfFd(int fd, char* out)
{
    out[0] = '\0';
    if (fd < 0 || fd >= MAX_FDS)
        return;
    pthread_mutex_lock(&fdLock);
    if (fdPaths[fd])
        snprintf(out, PATH_MAX, "%s", fdPaths[fd]);
    pthread_mutex_unlock(&fdLock);
}

static void rememberFd(int fd, const char* path)
{
    if (fd < 0 || fd >= MAX_FDS)
        return;
    pthread_mutex_lock(&fdLock);
    free(fdPaths[fd]);
    fdPaths[fd] = path && *path ? strdup(path) : NULL;
    pthread_mutex_unlock(&fdLock);
}

static void logLine(const char* op, const char* path, const char* target)
{
    const char* file = env("CERTD_FAULT_LOG");
    if (!file)
        return;
    char line[2 * PATH_MAX + 64];
    int length = snprintf(line, sizeof line, "%s %s%s%s\n", op, path, target ? " " : "", target ? target : "");
    int fd = (int)syscall(SYS_openat, AT_FDCWD, file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0)
        return;
    syscall(SYS_write, fd, line, (size_t)(length < (int)sizeof line ? length : (int)sizeof line - 1));
    syscall(SYS_close, fd);
}

static int errnoNamed(const char* name)
{
    if (!strcmp(name, "ENOSPC")) return ENOSPC;
    if (!strcmp(name, "EPERM")) return EPERM;
    if (!strcmp(name, "EIO")) return EIO;
    if (!strcmp(name, "EDQUOT")) return EDQUOT;
    return 0;
}

/* Counts a watched operation; returns an errno to fail it with, or 0. */
static int observe(const char* op, const char* path, const char* target)
{
    if (!watched(path) && !watched(target))
        return 0;
    long number = atomic_fetch_add(&counter, 1) + 1;
    const char* at = env("CERTD_FAULT_AT");
    const char* action = env("CERTD_FAULT_ACTION");
    int breakHere = at && action && atol(at) == number;
    if (breakHere && !strcmp(action, "kill")) {
        logLine("KILL-BEFORE", op, path);
        syscall(SYS_kill, getpid(), SIGKILL);
    }
    logLine(op, path, target);
    if (breakHere) {
        logLine("FAIL", op, action);
        return errnoNamed(action);
    }
    return 0;
}

#define REAL(name) static __typeof__(&name) real = NULL; if (!real) real = (__typeof__(&name))dlsym(RTLD_NEXT, #name)

static int openCommon(int dirfd, const char* name, int flags, mode_t mode, int at)
{
    char path[PATH_MAX];
    resolve(dirfd, name, path);
    if (flags & O_CREAT) {
        int error = observe("create", path, NULL);
        if (error) {
            errno = error;
            return -1;
        }
    }
    int fd;
    if (at) {
        REAL(openat);
        fd = real(dirfd, name, flags, mode);
    } else {
        REAL(open);
        fd = real(name, flags, mode);
    }
    if (fd >= 0)
        rememberFd(fd, path);
    return fd;
}

int open(const char* name, int flags, ...)
{
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list args;
        va_start(args, flags);
        mode = va_arg(args, mode_t);
        va_end(args);
    }
    return openCommon(AT_FDCWD, name, flags, mode, 0);
}
int open64(const char* name, int flags, ...)
{
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list args;
        va_start(args, flags);
        mode = va_arg(args, mode_t);
        va_end(args);
    }
    return openCommon(AT_FDCWD, name, flags, mode, 0);
}

int openat(int dirfd, const char* name, int flags, ...)
{
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list args;
        va_start(args, flags);
        mode = va_arg(args, mode_t);
        va_end(args);
    }
    return openCommon(dirfd, name, flags, mode, 1);
}
int openat64(int dirfd, const char* name, int flags, ...)
{
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list args;
        va_start(args, flags);
        mode = va_arg(args, mode_t);
        va_end(args);
    }
    return openCommon(dirfd, name, flags, mode, 1);
}

int close(int fd)
{
    REAL(close);
    rememberFd(fd, NULL);
    return real(fd);
}

ssize_t write(int fd, const void* data, size_t size)
{
    char path[PATH_MAX];
    pathOfFd(fd, path);
    int error = observe("write", path, NULL);
    if (error) {
        errno = error;
        return -1;
    }
    REAL(write);
    return real(fd, data, size);
}

static int onFd(const char* op, int fd)
{
    char path[PATH_MAX];
    pathOfFd(fd, path);
    return observe(op, path, NULL);
}

int fsync(int fd)
{
    int error = onFd("fsync", fd);
    if (error) {
        errno = error;
        return -1;
    }
    REAL(fsync);
    return real(fd);
}

int fdatasync(int fd)
{
    int error = onFd("fdatasync", fd);
    if (error) {
        errno = error;
        return -1;
    }
    REAL(fdatasync);
    return real(fd);
}

int fchmod(int fd, mode_t mode)
{
    int error = onFd("fchmod", fd);
    if (error) {
        errno = error;
        return -1;
    }
    REAL(fchmod);
    return real(fd, mode);
}

int fchown(int fd, uid_t owner, gid_t group)
{
    int error = onFd("fchown", fd);
    if (error) {
        errno = error;
        return -1;
    }
    REAL(fchown);
    return real(fd, owner, group);
}

static int onPath(const char* op, int dirfd, const char* name, int dirfd2, const char* name2)
{
    char path[PATH_MAX], target[PATH_MAX];
    resolve(dirfd, name, path);
    if (name2)
        resolve(dirfd2, name2, target);
    return observe(op, path, name2 ? target : NULL);
}

#define BREAKABLE(call)        \
    do {                       \
        int error = (call);    \
        if (error) {           \
            errno = error;     \
            return -1;         \
        }                      \
    } while (0)

int mkdir(const char* name, mode_t mode)
{
    BREAKABLE(onPath("mkdir", AT_FDCWD, name, 0, NULL));
    REAL(mkdir);
    return real(name, mode);
}

int mkdirat(int dirfd, const char* name, mode_t mode)
{
    BREAKABLE(onPath("mkdir", dirfd, name, 0, NULL));
    REAL(mkdirat);
    return real(dirfd, name, mode);
}

int rmdir(const char* name)
{
    BREAKABLE(onPath("rmdir", AT_FDCWD, name, 0, NULL));
    REAL(rmdir);
    return real(name);
}

int unlink(const char* name)
{
    BREAKABLE(onPath("unlink", AT_FDCWD, name, 0, NULL));
    REAL(unlink);
    return real(name);
}

int unlinkat(int dirfd, const char* name, int flags)
{
    BREAKABLE(onPath(flags & AT_REMOVEDIR ? "rmdir" : "unlink", dirfd, name, 0, NULL));
    REAL(unlinkat);
    return real(dirfd, name, flags);
}

/* std::filesystem::remove goes through remove(), whose own unlink is not seen. */
int remove(const char* name)
{
    BREAKABLE(onPath("unlink", AT_FDCWD, name, 0, NULL));
    REAL(remove);
    return real(name);
}

int rename(const char* from, const char* to)
{
    BREAKABLE(onPath("rename", AT_FDCWD, from, AT_FDCWD, to));
    REAL(rename);
    return real(from, to);
}

int renameat(int fromfd, const char* from, int tofd, const char* to)
{
    BREAKABLE(onPath("rename", fromfd, from, tofd, to));
    REAL(renameat);
    return real(fromfd, from, tofd, to);
}

int renameat2(int fromfd, const char* from, int tofd, const char* to, unsigned flags)
{
    BREAKABLE(onPath("rename", fromfd, from, tofd, to));
    REAL(renameat2);
    return real(fromfd, from, tofd, to, flags);
}

int link(const char* from, const char* to)
{
    BREAKABLE(onPath("link", AT_FDCWD, from, AT_FDCWD, to));
    REAL(link);
    return real(from, to);
}

int linkat(int fromfd, const char* from, int tofd, const char* to, int flags)
{
    BREAKABLE(onPath("link", fromfd, from, tofd, to));
    REAL(linkat);
    return real(fromfd, from, tofd, to, flags);
}

int symlink(const char* target, const char* name)
{
    BREAKABLE(onPath("symlink", AT_FDCWD, name, AT_FDCWD, target));
    REAL(symlink);
    return real(target, name);
}

int symlinkat(const char* target, int dirfd, const char* name)
{
    char path[PATH_MAX];
    resolve(dirfd, name, path);
    BREAKABLE(observe("symlink", path, target));
    REAL(symlinkat);
    return real(target, dirfd, name);
}
