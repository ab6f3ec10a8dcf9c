/**
 * The operators' HTTP API, the live dashboard and the alert forwarder of the health-processor.
 *
 * <p>{@link io.fleethealth.processor.api.HttpApi} serves on the shared {@link io.fleethealth.http.WebServer}
 * (route groups: HealthRoutes, SessionRoutes, ControlRoutes, AlertRoutes, DashboardRoutes, PrometheusRoutes), as JSON with ISO-8601 timestamps (paths and fields are a
 * contract; errors are {@code {"status": n, "error": "..."}}):
 * <pre>
 * GET  /health                          200 {"status":"UP","streamsState":"RUNNING",
 *                                            "sessions":{"HEALTHY":2,"UNHEALTHY":1,"RESTARTING":0,"FAILED":1,"UNKNOWN":0},
 *                                            "hosts":{"known":2,"silent":0}}     503 with "status":"DOWN" when not running
 * GET  /health/container/{sessionId}    200 {"sessionId","hostId","containerId","containerName","status",
 *                                            "consecutiveFailures","restartAttempts","paused","lastCheckAt",
 *                                            "lastTransitionAt","reason","lastErrorCategory","lastErrorMessage",
 *                                            "history":[{"time","status","errorCategory","responseTimeMs"}]}
 *                                       404 unknown session; answered by the owning instance when another holds it
 * GET  /health/sessions[?status=S][&limit=1..1000][&cursor=C]
 *                                       200 {"status":S|null,"count":n,"sessions":[...same fields, empty history],
 *                                            "nextCursor":C|null}   a page in session-id order; C continues after it
 *                                       400 for an unknown status (naming HEALTHY, UNHEALTHY, RESTARTING, FAILED, UNKNOWN),
 *                                           a bad limit or cursor
 * GET  /health/stats                    200 {"checksProcessed","deadLetters","restartsIssued","restartsSucceeded",
 *                                            "restartsFailed","sessionsFailed","alertsFired",
 *                                            "probeResponseTimeMs":{"samples","p50","p90","p99","max"}}
 * POST /health/sessions/{id}/reset      Authorization: Bearer FLEET_ADMIN_TOKEN, optional body {"reason":"..."}
 *                                       202 {"sessionId","action":"RESET","actor":"api@127.0.0.1","reason"}
 *                                       401 missing/wrong token, 403 disabled (no token configured),
 *                                       404 unknown session, 409 session not FAILED, 503 control not sent
 * GET  /metrics                         Prometheus text exposition of the registry given to HttpApi
 * GET  /api/alerts[?limit=1..200]       200 {"alerts":[{"fingerprint","status","alertname","severity","sessionId",
 *                                            "hostId","summary","startsAt","endsAt","labels","annotations"}]}
 * GET  /  /app.js  /style.css           the dashboard
 * </pre>
 * Any other path is 404, a known path with another method 405 (with {@code Allow}), a malformed query 400.
 * While the state stores are not queryable (FleetQueries throws NotReadyException, or Kafka's
 * InvalidStateStoreException escapes) the API answers 503; any other exception is a bug: 500, logged at ERROR.
 *
 * <p>Several instances: when {@link io.fleethealth.processor.api.FleetQueries#ownerOf} names another instance,
 * {@code GET /health/container/{id}} and the reset are relayed to it once, marked {@code X-Fleet-Forwarded: 1}
 * (never relayed again); the answer carries {@code X-Fleet-Served-By: host:port}.
 */
package io.fleethealth.processor.api;
