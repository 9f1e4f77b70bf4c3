/** The sample function {@code hello}, used by the demo, the tests and the benchmarks. */
package io.pulse.samples.hello;
