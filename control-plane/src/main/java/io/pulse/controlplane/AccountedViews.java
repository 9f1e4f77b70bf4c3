package io.pulse.controlplane;

import io.pulse.controlplane.accounting.InstanceAccount;
import io.pulse.controlplane.accounting.InstanceKind;
import io.pulse.controlplane.api.ClusterView.InstanceView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A function's instances for the API: the Regular Instances the scheduler tracks, with their accounting facts
 * (lifetime, busy time, memory), plus the live and recently ended Emergency Instances only accounting knows.
 */
final class AccountedViews {

  private AccountedViews() {}

  static List<InstanceView> merge(List<InstanceView> regular, List<InstanceAccount> accounts, long now) {
    if (accounts.isEmpty()) {
      return regular;
    }
    Map<String, InstanceAccount> byId = new HashMap<>();
    accounts.forEach(account -> byId.put(account.id(), account));
    List<InstanceView> result = new ArrayList<>(regular.size() + accounts.size());
    for (InstanceView view : regular) {
      InstanceAccount account = byId.get(view.id());
      result.add(account == null ? view : new InstanceView(view.id(), view.function(), view.revision(), view.kind(),
          view.state(), view.workerId(), view.endpoint(), view.createdAt(), view.readyAt(), view.creationMillis(),
          (double) account.lifetimeMillis(now), account.busyMicros() / 1e3, account.memoryMiB(), null));
    }
    for (InstanceAccount account : accounts) {
      if (account.kind() != InstanceKind.EMERGENCY) {
        continue;
      }
      Long creationMicros = account.creationMicros();
      result.add(new InstanceView(account.id(), account.function(), revisionOf(account.id()), "emergency",
          account.live() ? "ready" : "ended", account.workerId(), null, Instant.ofEpochMilli(account.createdAtMillis()),
          creationMicros == null ? null : Instant.ofEpochMilli(account.createdAtMillis() + creationMicros / 1_000),
          creationMicros == null ? null : creationMicros / 1e3, (double) account.lifetimeMillis(now),
          account.busyMicros() / 1e3, account.memoryMiB(),
          account.live() ? null : Instant.ofEpochMilli(account.endedAtMillis())));
    }
    result.sort(Comparator.comparing(InstanceView::id));
    return List.copyOf(result);
  }

  /** Instance ids are {@code function-revision-suffix}; 0 when the id does not say. */
  private static long revisionOf(String id) {
    String[] parts = id.split("-");
    for (int i = parts.length - 2; i >= 0; i--) {
      if (!parts[i].isEmpty() && parts[i].chars().allMatch(Character::isDigit)) {
        try {
          return Long.parseLong(parts[i]);
        } catch (NumberFormatException e) {
          return 0;
        }
      }
    }
    return 0;
  }
}
