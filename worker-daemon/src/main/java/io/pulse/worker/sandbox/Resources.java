package io.pulse.worker.sandbox;

/** CPU and memory one sandbox reserves on its worker. */
public record Resources(int cpuMillis, int memoryMiB) {

  public static final Resources NONE = new Resources(0, 0);

  public Resources {
    if (cpuMillis < 0) {
      throw new IllegalArgumentException("resources.cpuMillis must be >= 0, was " + cpuMillis);
    }
    if (memoryMiB < 0) {
      throw new IllegalArgumentException("resources.memoryMiB must be >= 0, was " + memoryMiB);
    }
  }

  public Resources plus(Resources other) {
    return new Resources(cpuMillis + other.cpuMillis, memoryMiB + other.memoryMiB);
  }

  public Resources minus(Resources other) {
    return new Resources(Math.max(0, cpuMillis - other.cpuMillis), Math.max(0, memoryMiB - other.memoryMiB));
  }
}
