package io.pulse.controlplane.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.controlplane.instances.LogLine;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogCursorTest {

  @Test
  void linesSharingTheLastMillisecond_areSentOnce_andNewOnesOfThatMillisecondStillGoOut() {
    List<LogLine> first = List.of(line(10, "a"), line(20, "b"), line(20, "c"));
    LogCursor cursor = LogCursor.START.after(LogCursor.START.unsent(first));
    assertThat(cursor).isEqualTo(new LogCursor(20, 2));
    assertThat(cursor.sinceMs()).isEqualTo(20);

    List<LogLine> again = List.of(line(20, "b"), line(20, "c"), line(20, "d"), line(30, "e"));
    assertThat(cursor.unsent(again)).containsExactly(line(20, "d"), line(30, "e"));
    assertThat(cursor.after(cursor.unsent(again))).isEqualTo(new LogCursor(30, 1));

    List<LogLine> sameMillisecond = List.of(line(20, "b"), line(20, "c"), line(20, "d"));
    assertThat(cursor.after(cursor.unsent(sameMillisecond))).isEqualTo(new LogCursor(20, 3));
  }

  @Test
  void nothingNew_keepsTheCursor() {
    LogCursor cursor = new LogCursor(20, 1);
    assertThat(cursor.unsent(List.of(line(20, "b")))).isEmpty();
    assertThat(cursor.after(List.of())).isEqualTo(cursor);
    assertThat(LogCursor.START.sinceMs()).isZero();
  }

  private static LogLine line(long timeMs, String text) {
    return new LogLine(timeMs, text);
  }
}
