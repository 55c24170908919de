// A self-pipe for SIGTERM and SIGINT. A signal handler may only call async-signal-safe
// functions, so it does one thing: write the signal's number to a pipe, which a thread of
// taster's own reads. C, because a handler written in Swift cannot be shown to be signal-safe.
#ifndef TASTER_SIGNAL_SHIMS_H
#define TASTER_SIGNAL_SHIMS_H

// Creates the pipe and installs the handler for SIGTERM and SIGINT (SA_RESTART). Returns the
// pipe's read end, from which each signal arrives as one byte holding its number, or -1 with
// errno set (the signals then keep their default action).
int taster_signal_pipe_install(void);

#endif
