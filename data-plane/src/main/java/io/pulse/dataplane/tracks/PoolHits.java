package io.pulse.dataplane.tracks;

/**
 * The hook for pre-created sandboxes: how long claiming one of the function revision's pool members is expected to
 * take, when the pools make a hit likely; negative when not (the measured creation time applies).
 */
@FunctionalInterface
public interface PoolHits {

  PoolHits NONE = (function, revision) -> -1;

  long expectedClaimNanos(String function, long revision);
}
