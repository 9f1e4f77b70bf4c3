package io.pulse.k8sbridge.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Comparisons and merges of the metadata we own: our labels and annotations; others' extra entries are kept. */
final class Meta {

  private Meta() {}

  static boolean metadataMatches(HasMetadata desired, HasMetadata actual) {
    return contains(actual.getMetadata().getLabels(), desired.getMetadata().getLabels())
        && contains(actual.getMetadata().getAnnotations(), desired.getMetadata().getAnnotations());
  }

  /** Our labels and annotations over the actual ones; the rest of the actual metadata (version, uid) is kept. */
  static ObjectMeta merged(HasMetadata desired, HasMetadata actual) {
    ObjectMeta meta = actual.getMetadata();
    return new io.fabric8.kubernetes.api.model.ObjectMetaBuilder(meta)
        .withLabels(merge(meta.getLabels(), desired.getMetadata().getLabels()))
        .withAnnotations(merge(meta.getAnnotations(), desired.getMetadata().getAnnotations()))
        .build();
  }

  static boolean contains(@Nullable Map<String, String> actual, @Nullable Map<String, String> wanted) {
    if (wanted == null || wanted.isEmpty()) {
      return true;
    }
    Map<String, String> have = actual == null ? Map.of() : actual;
    return wanted.entrySet().stream().allMatch(e -> Objects.equals(have.get(e.getKey()), e.getValue()));
  }

  static Map<String, String> merge(@Nullable Map<String, String> actual, @Nullable Map<String, String> wanted) {
    Map<String, String> result = new LinkedHashMap<>(actual == null ? Map.of() : actual);
    if (wanted != null) {
      result.putAll(wanted);
    }
    return result;
  }

  /** Numeric equality of resource lists ("1000m" equals "1"). */
  static boolean sameQuantities(@Nullable Map<String, Quantity> a, @Nullable Map<String, Quantity> b) {
    Map<String, Quantity> x = a == null ? Map.of() : a;
    Map<String, Quantity> y = b == null ? Map.of() : b;
    if (!x.keySet().equals(y.keySet())) {
      return false;
    }
    return x.entrySet().stream().allMatch(e -> amount(e.getValue()).compareTo(amount(y.get(e.getKey()))) == 0);
  }

  private static BigDecimal amount(@Nullable Quantity q) {
    try {
      return q == null ? BigDecimal.ZERO : Quantity.getAmountInBytes(q);
    } catch (RuntimeException e) {
      return BigDecimal.valueOf(-1);
    }
  }
}
