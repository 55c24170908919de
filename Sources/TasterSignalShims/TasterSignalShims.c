#define _GNU_SOURCE
#include "TasterSignalShims.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

static int write_end = -1;

static void forward(int number) {
    int saved = errno;
    unsigned char byte = (unsigned char)number;
    // Non-blocking: with the pipe full (64 KiB of signals nobody read) the signal is dropped,
    // and taster is already stopping.
    ssize_t ignored = write(write_end, &byte, 1);
    (void)ignored;
    errno = saved;
}

int taster_signal_pipe_install(void) {
    int ends[2];
    if (pipe2(ends, O_CLOEXEC) != 0) return -1;
    if (fcntl(ends[1], F_SETFL, O_NONBLOCK) != 0) {
        int saved = errno;
        close(ends[0]);
        close(ends[1]);
        errno = saved;
        return -1;
    }
    write_end = ends[1];
    struct sigaction action = {0};
    action.sa_handler = forward;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    if (sigaction(SIGTERM, &action, NULL) != 0 || sigaction(SIGINT, &action, NULL) != 0) {
        int saved = errno;
        signal(SIGTERM, SIG_DFL);
        signal(SIGINT, SIG_DFL);
        write_end = -1;
        close(ends[0]);
        close(ends[1]);
        errno = saved;
        return -1;
    }
    return ends[0];
}
