/**
 * Secrets: named values that functions reference by name ({@code secrets: ["db-password"]}) and receive in their
 * sandboxes, never through the API. Values are sealed with AES-GCM ({@link io.pulse.controlplane.secrets.SecretCipher},
 * a key file made 0600) before they reach the registry, so the replicated map and every replica's store hold only
 * ciphertext; the leader opens them only to build a sandbox spec. Nothing here logs a value, and every type holding
 * one prints a redacted {@code toString}.
 */
@NullMarked
package io.pulse.controlplane.secrets;

import org.jspecify.annotations.NullMarked;
