package io.pulse.controlplane.instances;

import org.jspecify.annotations.Nullable;

/** What a worker answered to a {@link WorkerCommand}, with no transport type in it. */
public sealed interface CommandAnswer {

  /** Carried out; {@code image} is what a {@code PrepareImage} found or pulled (null for other commands). */
  record Done(WorkerClient.@Nullable PreparedImage image) implements CommandAnswer {}

  /** The worker does not offer the command (an older worker): asking again would not help. */
  record Unsupported() implements CommandAnswer {}

  /** Not carried out, or no answer: {@code error} says why (the worker's status code first). */
  record Failed(String error) implements CommandAnswer {}
}
