"""Benchmarks: throughput against a bare PTB echo bot, latency, memory, start-up, surge, scale."""
