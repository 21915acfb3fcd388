/*
 * kit_errname.c - "-ETIMEDOUT" rather than "-110" in every message (R18).
 */
#include <errno.h>
#include <stdio.h>

#include "kit.h"

#define NAME(e) [e] = "-" #e

static const char *const names[] = {
    NAME(EPERM),  NAME(ENOENT),    NAME(ESRCH),     NAME(EINTR),
    NAME(EIO),    NAME(E2BIG),     NAME(ENOEXEC),   NAME(EBADF),
    NAME(ECHILD), NAME(EAGAIN),    NAME(ENOMEM),    NAME(EACCES),
    NAME(EFAULT), NAME(EBUSY),     NAME(EEXIST),    NAME(EINVAL),
    NAME(EMFILE), NAME(ENOSPC),    NAME(EPIPE),     NAME(ERANGE),
    NAME(EDEADLK), NAME(ENOSYS),   NAME(ENOTSUP),   NAME(ECONNREFUSED),
    NAME(ECONNRESET), NAME(EADDRINUSE), NAME(ETIMEDOUT), NAME(ENOTCONN),
    NAME(EOVERFLOW), NAME(ECANCELED), NAME(EOWNERDEAD), NAME(ENOTRECOVERABLE),
    NAME(ENOMSG), NAME(EBADMSG),   NAME(EPROTO),    NAME(ENOBUFS),
    NAME(EALREADY), NAME(EINPROGRESS), NAME(ESHUTDOWN), NAME(EMSGSIZE),
    NAME(ENODATA), NAME(ESTALE),   NAME(EDOM),      NAME(ENAMETOOLONG),
    NAME(ENOTEMPTY), NAME(EISDIR),  NAME(ENOTDIR),
    NAME(ENXIO),  NAME(ESPIPE),    NAME(EROFS),     NAME(EXDEV),
    NAME(EADDRNOTAVAIL), NAME(ENETUNREACH), NAME(EHOSTUNREACH), NAME(ENOTSOCK),
    NAME(EPROTONOSUPPORT), NAME(EAFNOSUPPORT), NAME(EKEYREJECTED), NAME(ENOKEY),
};

const char *
kit_errname(int err)
{
    static __thread char other[32];

    if (err == 0)
        return "0";
    if (err < 0 && -err < (int)(sizeof(names) / sizeof(names[0])) &&
        names[-err] != NULL)
        return names[-err];
    snprintf(other, sizeof(other), "%s%d", err < 0 ? "-E?" : "", err);
    return other;
}
