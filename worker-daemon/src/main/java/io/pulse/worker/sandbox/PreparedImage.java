package io.pulse.worker.sandbox;

/**
 * An image made present and unpacked on this worker ahead of creations.
 *
 * @param alreadyPresent true when nothing had to be pulled
 * @param digest the image's manifest digest ("" for runtimes without images)
 * @param pullMicros time spent making it present (0 when it already was)
 */
public record PreparedImage(boolean alreadyPresent, String digest, long pullMicros) {

  /** The answer of runtimes that run no images. */
  public static final PreparedImage NOT_APPLICABLE = new PreparedImage(true, "", 0);
}
