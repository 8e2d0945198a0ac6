"""What a query worker may not do: reach the network, or outlive the process that started it.

Oxigraph follows SERVICE (and LOAD) with its own HTTP client, which no Python hook sees,
and screening query text with another parser than Oxigraph's is a bypass waiting to
happen (the two disagree on where a comment ends). So the guarantee is not a screen but
a kernel filter: a worker installs a seccomp filter, before it opens the store or starts
a thread, under which creating any socket fails. No address, name lookup or protocol is
reachable from inside, whatever the query says.
"""
from __future__ import annotations

import ctypes
import errno
import signal
import sys

from kg.errors import ConfigError

try:  # imported once, by the forkserver that starts the workers (kg.workers), rather than in each one
    import pyseccomp as seccomp
except (ImportError, OSError, RuntimeError) as error:  # RuntimeError: libseccomp2 is missing
    seccomp, unavailable = None, error

# Fails with "Network is down": no store or file operation reports it, so when a query
# fails with it, it was the query that tried to reach the network.
DENIED = errno.ENETDOWN
NETWORK_SYSCALLS = ("socket", "io_uring_setup")  # io_uring could open sockets without socket(2)
PR_SET_PDEATHSIG = 1


def confine() -> None:
    """Deny this process (and its future threads) every new socket, and die with its parent.

    Raises ConfigError where the kernel filter cannot be installed: a query worker that
    could reach the network must not run at all.
    """
    if not sys.platform.startswith("linux"):
        raise ConfigError("query workers need Linux's seccomp to run without network access; "
                          f"this is {sys.platform}")
    if seccomp is None:
        raise ConfigError(f"cannot deny query workers the network (seccomp: {unavailable!r}); "
                          "is libseccomp2 installed?")
    try:
        rules = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
        for name in NETWORK_SYSCALLS:
            rules.add_rule(seccomp.ERRNO(DENIED), name)
        rules.load()
    except (OSError, RuntimeError, ValueError) as error:
        raise ConfigError(f"cannot deny query workers the network (seccomp: {error!r}); "
                          "is libseccomp2 installed?") from error
    die_with_parent()


def die_with_parent() -> None:
    """Ask the kernel to SIGKILL this process when its parent ends, even by kill -9."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        raise ConfigError(f"prctl(PR_SET_PDEATHSIG) failed: {errno.errorcode.get(ctypes.get_errno())}")


def tried_the_network(error: BaseException) -> bool:
    """Whether an error raised inside a confined process is the filter refusing a connection.

    A denied socket(2) surfaces as ENETDOWN; a host name to look up first surfaces as a
    failed lookup, because the resolver's own socket was denied.
    """
    text = str(error)
    return (isinstance(error, OSError) and error.errno == DENIED) or f"os error {DENIED}" in text \
        or "failed to lookup address" in text
