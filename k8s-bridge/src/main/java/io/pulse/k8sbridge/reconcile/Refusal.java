package io.pulse.k8sbridge.reconcile;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Objects;

/**
 * The API server's refusal of one action, as its Status says it: the HTTP code, the machine reason ({@code Invalid},
 * {@code AlreadyExists}, {@code Conflict}, ...), the message, and the causes (field: message).
 */
public record Refusal(Action action, int code, String reason, String message, List<String> causes) {

  public Refusal {
    causes = List.copyOf(causes);
  }

  /** Translates fabric8's exception (the wire type stays here). */
  static Refusal of(Action action, KubernetesClientException e) {
    Status status = e.getStatus();
    String reason = status == null || status.getReason() == null || status.getReason().isEmpty()
        ? "HTTP" + e.getCode() : status.getReason();
    String message = status == null || status.getMessage() == null ? String.valueOf(e.getMessage())
        : status.getMessage();
    List<String> causes = status == null || status.getDetails() == null || status.getDetails().getCauses() == null
        ? List.of() : status.getDetails().getCauses().stream()
            .map(c -> Objects.requireNonNullElse(c.getField(), "") + ": "
                + Objects.requireNonNullElse(c.getMessage(), Objects.requireNonNullElse(c.getReason(), "")))
            .toList();
    return new Refusal(action, e.getCode(), reason, message, causes);
  }

  /** One line for logs and /readyz. */
  public String describe() {
    String object = action.namespace().isEmpty() ? action.name() : action.namespace() + "/" + action.name();
    return action.getClass().getSimpleName() + " " + action.kind() + " " + object + ": " + code + " " + reason + ": "
        + message + (causes.isEmpty() ? "" : " " + causes);
  }
}
