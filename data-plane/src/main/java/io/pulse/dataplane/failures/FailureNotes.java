package io.pulse.dataplane.failures;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each failure under its ref and keeps it until the next load report takes it to the control plane. At most
 * {@link #MAX_PENDING} wait (the oldest go first): a report that never leaves must not grow the heap.
 */
public final class FailureNotes {

  private static final Logger LOG = LoggerFactory.getLogger(FailureNotes.class);
  static final int MAX_PENDING = 256;

  private final ArrayDeque<FailureNote> pending = new ArrayDeque<>(); // guarded by this

  public void record(FailureNote note) {
    LOG.atWarn().setMessage("invocation failed").addKeyValue("ref", note.ref())
        .addKeyValue("function", note.function()).addKeyValue("stage", note.stage())
        .addKeyValue("instance", note.instanceId()).addKeyValue("worker", note.workerId())
        .addKeyValue("code", note.code()).addKeyValue("detail", note.detail()).log();
    synchronized (this) {
      if (pending.size() == MAX_PENDING) {
        pending.removeFirst();
      }
      pending.addLast(note);
    }
  }

  /** What was recorded since the previous call, oldest first. */
  public synchronized List<FailureNote> drain() {
    List<FailureNote> all = new ArrayList<>(pending);
    pending.clear();
    return all;
  }
}
