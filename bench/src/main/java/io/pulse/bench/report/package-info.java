/**
 * Figures from measurements (pure: slowdowns, percentiles, geometric means, normalized cost) and the files a run
 * writes: {@code summary.json}, {@code invocations.csv}, {@code report.html} with PNG charts.
 */
@NullMarked
package io.pulse.bench.report;

import org.jspecify.annotations.NullMarked;
