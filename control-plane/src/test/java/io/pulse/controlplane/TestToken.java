package io.pulse.controlplane;

/** The REST API token every control plane of this module's tests is started with (tests only). */
public final class TestToken {

  public static final String VALUE = "pulse-test-token-0123456789";
  public static final String BEARER = "Bearer " + VALUE;

  private TestToken() {}
}
