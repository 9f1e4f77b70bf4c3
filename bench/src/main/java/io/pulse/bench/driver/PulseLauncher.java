package io.pulse.bench.driver;

/** Starts a fresh Pulse for one run of an experiment (the {@code pulse} command implements it). */
@FunctionalInterface
public interface PulseLauncher {

  RunningPulse start(PulseSetup setup);

  /** Every run goes to the same running cluster; the setup is not applied (functions carry their policy). */
  static PulseLauncher existing(String apiUrl, String gatewayUrl) {
    return setup -> RunningPulse.existing(apiUrl, gatewayUrl);
  }
}
