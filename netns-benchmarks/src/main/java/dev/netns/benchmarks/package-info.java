/** JMH benchmarks of netns-core, run by {@code scripts/bench.sh} next to the C floors of {@code nsbench.c}. */
package dev.netns.benchmarks;
