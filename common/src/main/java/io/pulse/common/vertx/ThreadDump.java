package io.pulse.common.vertx;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;

/**
 * Every platform thread's whole stack, with the monitors and locks each holds and waits for (ThreadInfo's own
 * {@code toString} stops at eight frames). Virtual threads are not listed; their carriers are.
 */
final class ThreadDump {

  private ThreadDump() {}

  static String text() {
    StringBuilder dump = new StringBuilder();
    for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
      dump.append('"').append(info.getThreadName()).append("\" #").append(info.getThreadId())
          .append(info.isDaemon() ? " daemon " : " ").append(info.getThreadState());
      if (info.getLockName() != null) {
        dump.append(" on ").append(info.getLockName());
      }
      if (info.getLockOwnerName() != null) {
        dump.append(" owned by \"").append(info.getLockOwnerName()).append("\" #").append(info.getLockOwnerId());
      }
      dump.append('\n');
      StackTraceElement[] frames = info.getStackTrace();
      for (int i = 0; i < frames.length; i++) {
        dump.append("\tat ").append(frames[i]).append('\n');
        for (MonitorInfo monitor : info.getLockedMonitors()) {
          if (monitor.getLockedStackDepth() == i) {
            dump.append("\t- locked ").append(monitor).append('\n');
          }
        }
      }
      for (LockInfo lock : info.getLockedSynchronizers()) {
        dump.append("\t- holds ").append(lock).append('\n');
      }
      dump.append('\n');
    }
    return dump.toString();
  }
}
