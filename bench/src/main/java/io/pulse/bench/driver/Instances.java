package io.pulse.bench.driver;

/** What an instance id says about its instance. */
public final class Instances {

  private Instances() {}

  /**
   * {@code emergency} for the data plane's ids ({@code fn-rev-e} + 8 characters), {@code regular} otherwise.
   */
  public static String kindOf(String instanceId) {
    return instanceId.matches(".*-[0-9]+-e[a-z0-9]{8}") ? "emergency" : "regular";
  }
}
