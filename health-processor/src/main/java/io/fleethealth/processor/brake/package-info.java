/**
 * The restart brake: correlated-failure detection per group (host, image, fleet) and restart budgets.
 * Plain classes in event time, no Kafka and no Docker: {@link io.fleethealth.processor.brake.RestartBrake}
 * is fed the sessions' failure starts, recoveries and wanted restarts in one order and answers, for every
 * wanted restart, issue (at which slot), hold (under which incident) or pass (opted out). The same history
 * in the same order gives the same answers, which is what replay and the what-if report rely on.
 * Design, ordering and determinism: docs/brake.md.
 */
package io.fleethealth.processor.brake;
