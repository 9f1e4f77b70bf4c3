package io.pulse.common.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Named readiness checks of one process. In the all-in-one mode every component registers its checks here, so one
 * {@code /readyz} covers them all.
 */
public final class Readiness {

  /** A check answers {@code null} when ready, or the reason it is not. */
  @FunctionalInterface
  public interface Check extends Supplier<@Nullable String> {}

  private final Map<String, Check> checks = new ConcurrentHashMap<>();

  public void register(String name, Check check) {
    checks.put(name, check);
  }

  /** Reasons for not being ready, as {@code name: reason}; empty when ready. */
  public List<String> notReadyReasons() {
    List<String> reasons = new ArrayList<>();
    checks.forEach((name, check) -> {
      String reason;
      try {
        reason = check.get();
      } catch (RuntimeException e) {
        reason = "check failed: " + e;
      }
      if (reason != null) {
        reasons.add(name + ": " + reason);
      }
    });
    reasons.sort(null);
    return reasons;
  }
}
