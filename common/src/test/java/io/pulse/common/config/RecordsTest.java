package io.pulse.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.common.testing.RecordWithers;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class RecordsTest {

  /** A config record as the platform writes them: validated in the canonical constructor, withers via Records. */
  record Sample(String name, int start, int end, long timeoutMs, @Nullable String optional) {
    Sample {
      if (start < 1 || end < start) {
        throw new IllegalArgumentException("range must satisfy 1 <= start <= end, was " + start + ".." + end);
      }
    }

    public Sample withName(String value) {
      return Records.with(this, "name", value);
    }

    public Sample withTimeoutMs(long value) {
      return Records.with(this, "timeoutMs", value);
    }

    public Sample withOptional(@Nullable String value) {
      return Records.with(this, "optional", value);
    }

    public Sample withRange(int first, int last) {
      return Records.with(this, "start", first, "end", last);
    }
  }

  private static final Sample SAMPLE = new Sample("a", 10, 20, 500, "x");

  @Test
  void with_changesOneComponentAndKeepsTheOthers() {
    assertThat(SAMPLE.withName("b")).isEqualTo(new Sample("b", 10, 20, 500, "x"));
    assertThat(SAMPLE.withTimeoutMs(7)).isEqualTo(new Sample("a", 10, 20, 7, "x"));
    assertThat(SAMPLE.withOptional(null)).isEqualTo(new Sample("a", 10, 20, 500, null));
    assertThat(SAMPLE.withRange(30, 40)).isEqualTo(new Sample("a", 30, 40, 500, "x"));
  }

  @Test
  void with_validatesTheCopyAndPassesTheRecordsOwnRefusalThrough() {
    assertThatThrownBy(() -> SAMPLE.withRange(30, 20)).isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("range must satisfy 1 <= start <= end, was 30..20");
  }

  @Test
  void with_anUnknownComponentOrAWrongType_isRefusedByName() {
    assertThatThrownBy(() -> Records.with(SAMPLE, "nmae", "b")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no component 'nmae'");
    assertThatThrownBy(() -> Records.with(SAMPLE, "start", "ten")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("wrong type");
  }

  @Test
  void recordWithers_checksEveryOneArgumentWither() {
    assertThat(RecordWithers.check(SAMPLE)).containsExactlyInAnyOrder("name", "timeoutMs", "optional");
  }

  @Test
  void recordWithers_catchesAWitherSettingTheWrongComponent() {
    record Crossed(int start, int end) {
      public Crossed withStart(int value) {
        return Records.with(this, "end", value);
      }
    }
    assertThatThrownBy(() -> RecordWithers.check(new Crossed(1, 2))).isInstanceOf(AssertionError.class)
        .hasMessageContaining("withStart");
  }

  @Test
  void with_worksOnRecordsOfOtherPackagesAndNesting() {
    assertThat(List.of(SAMPLE.withName("z").name())).containsExactly("z");
  }
}
