package io.pulse.worker.sandbox.fake;

import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * A distribution of durations in milliseconds, written as text on command lines and in configuration:
 * {@code 50} or {@code const:50}, {@code uniform:20:80}, {@code exp:50} (exponential with that mean) and
 * {@code lognormal:50:0.5} (log-normal with that median and sigma). Samples are never negative.
 */
public sealed interface Distribution {

  /** Zero, always. */
  Distribution ZERO = new Constant(0);

  double sample(RandomGenerator random);

  /** The text this distribution parses from. */
  String spec();

  record Constant(double millis) implements Distribution {
    @Override
    public double sample(RandomGenerator random) {
      return millis;
    }

    @Override
    public String spec() {
      return "const:" + format(millis);
    }
  }

  record Uniform(double low, double high) implements Distribution {
    @Override
    public double sample(RandomGenerator random) {
      return low == high ? low : low + random.nextDouble() * (high - low);
    }

    @Override
    public String spec() {
      return "uniform:" + format(low) + ":" + format(high);
    }
  }

  record Exponential(double mean) implements Distribution {
    @Override
    public double sample(RandomGenerator random) {
      return -mean * Math.log(1 - random.nextDouble());
    }

    @Override
    public String spec() {
      return "exp:" + format(mean);
    }
  }

  record LogNormal(double median, double sigma) implements Distribution {
    @Override
    public double sample(RandomGenerator random) {
      return median * Math.exp(sigma * random.nextGaussian());
    }

    @Override
    public String spec() {
      return "lognormal:" + format(median) + ":" + format(sigma);
    }
  }

  /** Parses {@code text}; the message of a failure names {@code field}. */
  static Distribution parse(String field, String text) {
    String[] parts = text.trim().toLowerCase(Locale.ROOT).split(":");
    try {
      Distribution parsed = switch (parts[0]) {
        case "const" -> parts.length == 2 ? new Constant(nonNegative(parts[1])) : null;
        case "uniform" -> parts.length == 3 ? new Uniform(nonNegative(parts[1]), nonNegative(parts[2])) : null;
        case "exp" -> parts.length == 2 ? new Exponential(nonNegative(parts[1])) : null;
        case "lognormal" -> parts.length == 3 ? new LogNormal(nonNegative(parts[1]), nonNegative(parts[2])) : null;
        default -> parts.length == 1 ? new Constant(nonNegative(parts[0])) : null;
      };
      if (parsed instanceof Uniform u && u.high() < u.low()) {
        parsed = null;
      }
      if (parsed != null) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // falls through to the message below
    }
    throw new IllegalArgumentException(field + " must be a distribution in ms: N, const:N, uniform:LOW:HIGH, exp:MEAN"
        + " or lognormal:MEDIAN:SIGMA (non-negative numbers), was '" + text + "'");
  }

  private static double nonNegative(String number) {
    double value = Double.parseDouble(number);
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new NumberFormatException(number);
    }
    return value;
  }

  private static String format(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }
}
