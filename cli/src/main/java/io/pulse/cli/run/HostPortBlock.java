package io.pulse.cli.run;

/**
 * A block of host ports given as {@code START-END}, split in two halves: benches that run two runtimes side by side
 * (Pulse's worker and the direct runtime) give each its own, so neither takes a port the other holds.
 */
record HostPortBlock(int start, int end) {

  HostPortBlock {
    if (start < 1 || end > 65535 || end - start < 1) {
      throw new IllegalArgumentException("a port block needs two ports or more within 1..65535, was " + start + "-"
          + end);
    }
  }

  static HostPortBlock parse(String option, String text) {
    String[] parts = text.split("-", -1);
    try {
      if (parts.length == 2) {
        return new HostPortBlock(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
      }
    } catch (NumberFormatException e) {
      // reported below
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
    }
    throw new IllegalArgumentException(option + " must be START-END, was '" + text + "'");
  }

  /** The first port of the second half (the first half ends right before it). */
  int secondHalfStart() {
    return start + (end - start + 1) / 2;
  }
}
