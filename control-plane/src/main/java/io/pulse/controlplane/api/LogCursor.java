package io.pulse.controlplane.api;

import io.pulse.controlplane.instances.LogLine;
import java.util.List;

/**
 * Where a follower of one instance's log is: the time of the last line it was sent and how many lines of that very
 * millisecond it was sent. The next read asks for lines since that millisecond and drops those already sent, so a
 * line is sent once even when several share a millisecond.
 */
record LogCursor(long timeMs, int sentAtTime) {

  static final LogCursor START = new LogCursor(-1, 0);

  /** Where to ask from next. */
  long sinceMs() {
    return Math.max(0, timeMs);
  }

  /** The lines of {@code read} (asked since {@link #sinceMs()}, oldest first) not sent yet. */
  List<LogLine> unsent(List<LogLine> read) {
    int skip = 0;
    while (skip < read.size() && skip < sentAtTime && read.get(skip).timeMs() == timeMs) {
      skip++;
    }
    return read.subList(skip, read.size());
  }

  /** The cursor once {@code sent} (what {@link #unsent} answered) went out. */
  LogCursor after(List<LogLine> sent) {
    if (sent.isEmpty()) {
      return this;
    }
    long last = sent.getLast().timeMs();
    int atLast = (int) sent.stream().filter(line -> line.timeMs() == last).count();
    return new LogCursor(last, last == timeMs ? sentAtTime + atLast : atLast);
  }
}
