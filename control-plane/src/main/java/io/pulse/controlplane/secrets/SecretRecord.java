package io.pulse.controlplane.secrets;

import java.time.Instant;

/**
 * A stored secret: its name, what the registry assigned (revision, times) and the sealed value. Everything but
 * {@code sealed} may be shown; the API shows nothing else.
 */
public record SecretRecord(String name, long revision, Instant createdAt, Instant updatedAt, SealedValue sealed) {}
